import type { NodeUpgrade } from '../api/types.js';
import { Button } from '../ui/components.js';
import type { ManifestIndex } from './manifest-index.js';

/** Offers to move nodes onto newer versions of their types (their settings are carried over). */
export function UpgradeBanner({ upgrades, manifest, busy, onUpgrade }: { upgrades: readonly NodeUpgrade[]; manifest: ManifestIndex; busy: boolean; onUpgrade(): void }) {
  if (upgrades.length === 0) return null;
  const names = [...new Set(upgrades.map((u) => `${manifest.get(u.type, u.to)?.title ?? u.type} (version ${u.from} → ${u.to})`))];
  return (
    <div className="banner banner-info flow-banner row" role="status" data-testid="upgrade-banner">
      <span className="grow">
        {upgrades.length === 1 ? 'A node has' : `${upgrades.length} nodes have`} a newer version: {names.join(', ')}. Their settings are kept.
      </span>
      <Button small variant="primary" onClick={onUpgrade} disabled={busy}>
        Upgrade nodes
      </Button>
    </div>
  );
}
