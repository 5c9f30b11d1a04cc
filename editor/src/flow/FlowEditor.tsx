import type { FlowDocument, FlowIssue, NodeTypeManifest } from '@baton/nodes';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { ApiError, api, ok } from '../api/client.js';
import type { Bot, Draft, NodeUpgrade } from '../api/types.js';
import { href } from '../router/router.js';
import { TestChat } from '../testchat/TestChat.js';
import { Button, ErrorBanner } from '../ui/components.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { DROP_OFFSET, FlowCanvas } from './FlowCanvas.js';
import { ManifestContext, NodeViewContext } from './flow-context.js';
import { exportFileName, parseFlowFile, serializeFlow } from './flow-file.js';
import { FlowHighlightContext, type FlowHighlight } from './flow-highlight.js';
import { firstErrorNodeId, groupIssues } from './flow-issues.js';
import { NodeInspector } from './inspector/NodeInspector.js';
import { IssuesMenu } from './IssuesMenu.js';
import { knownVariables } from './known-variables.js';
import { indexManifest } from './manifest-index.js';
import { createNodeViewStore } from './node-view-store.js';
import { Palette } from './Palette.js';
import { SaveStatus } from './SaveStatus.js';
import { UpgradeBanner } from './UpgradeBanner.js';
import { useAutosave } from './use-autosave.js';
import { useFlowEditor } from './use-flow-editor.js';
import { useFlowShortcuts } from './use-flow-shortcuts.js';
import { VersionsMenu } from './VersionsMenu.js';

type Confirm = { kind: 'restore'; version: number } | { kind: 'import'; flow: FlowDocument; fileName: string };

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

/** The flow builder of one bot: palette, canvas, node settings, test chat, and the draft's life cycle. */
export function FlowEditor({ bot, draft, manifests }: { bot: Bot; draft: Draft; manifests: readonly NodeTypeManifest[] }) {
  const manifest = useMemo(() => indexManifest(manifests), [manifests]);
  const editor = useFlowEditor(draft.flow, manifest);
  const flow = useReactFlow();
  const canvas = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const [issues, setIssues] = useState<FlowIssue[]>(draft.issues);
  const [upgrades, setUpgrades] = useState<NodeUpgrade[]>(draft.upgrades);
  const [viewStore] = useState(() => {
    const store = createNodeViewStore();
    store.setIssues(draft.issues);
    return store;
  });
  useEffect(() => viewStore.setIssues(issues), [viewStore, issues]);
  const [highlightNodeId, setHighlight] = useState<string>();
  useEffect(() => viewStore.setHighlight(highlightNodeId), [viewStore, highlightNodeId]);

  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [confirm, setConfirm] = useState<Confirm>();
  const [versionsKey, setVersionsKey] = useState(0);
  const [testOpen, setTestOpen] = useState(false);

  const autosave = useAutosave(editor.doc, async (doc: FlowDocument) => {
    const saved = await ok(api.PUT('/api/bots/{botId}/flow', { params: { path: { botId: bot.id } }, body: doc }));
    setIssues(saved.issues);
    setUpgrades(saved.upgrades);
  });

  /** Puts a document from the server on screen without sending it back. */
  const adopt = useCallback(
    (saved: Draft) => {
      autosave.markSaved(saved.flow);
      editor.replace(saved.flow);
      setIssues(saved.issues);
      setUpgrades(saved.upgrades);
    },
    [autosave, editor],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      editor.select([nodeId]);
      const node = flow.getInternalNode(nodeId);
      if (node) {
        const { width = 240, height = 80 } = node.measured;
        void flow.setCenter(node.internals.positionAbsolute.x + width / 2, node.internals.positionAbsolute.y + height / 2, { zoom: Math.max(flow.getZoom(), 0.8), duration: 300 });
      }
      requestAnimationFrame(() => canvas.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`)?.focus());
    },
    [editor, flow],
  );

  const addAtCentre = useCallback(
    (type: string) => {
      const rect = canvas.current?.getBoundingClientRect();
      const centre = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
      let position = { x: centre.x - DROP_OFFSET.x, y: centre.y - DROP_OFFSET.y };
      // Several nodes added in a row should not hide each other.
      while (editor.doc.nodes.some((n) => Math.abs(n.position.x - position.x) < 16 && Math.abs(n.position.y - position.y) < 16)) {
        position = { x: position.x + 32, y: position.y + 32 };
      }
      editor.addNodeAt(type, position);
    },
    [editor, flow],
  );

  useFlowShortcuts({ undo: editor.undo, redo: editor.redo, copy: editor.copy, paste: editor.paste, deleteSelection: editor.deleteSelection });

  const run = async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const publish = () =>
    run('publish', async () => {
      if (!(await autosave.saveNow())) throw new Error('The draft could not be saved, so it was not published. Try again.');
      try {
        const result = await ok(api.POST('/api/bots/{botId}/publish', { params: { path: { botId: bot.id } } }));
        setIssues(result.issues);
        setVersionsKey((k) => k + 1);
        setNotice(`Published version ${result.version}. New conversations use it now.`);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 422) throw e;
        const refused = e.flowIssues;
        setIssues(refused);
        setError(new Error(`Not published: ${e.message}.`));
        const first = firstErrorNodeId(refused);
        if (first) focusNode(first);
      }
    });

  const restore = (version: number) =>
    run('restore', async () => {
      await autosave.saveNow();
      adopt(await ok(api.POST('/api/bots/{botId}/versions/{version}/restore', { params: { path: { botId: bot.id, version } } })));
      setNotice(`Version ${version} is the draft again. Undo brings back what was there before.`);
    });

  const upgrade = () =>
    run('upgrade', async () => {
      if (!(await autosave.saveNow())) throw new Error('The draft could not be saved; try again.');
      const result = await ok(api.POST('/api/bots/{botId}/flow/upgrade', { params: { path: { botId: bot.id } } }));
      adopt(result);
      setNotice(`${result.upgraded.length} node${result.upgraded.length === 1 ? '' : 's'} upgraded.`);
    });

  const onImportFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setNotice(undefined);
    const parsed = parseFlowFile(await file.text());
    if (!parsed.ok) {
      setError(new Error(parsed.error));
      return;
    }
    setError(undefined);
    setConfirm({ kind: 'import', flow: parsed.flow, fileName: file.name });
  };

  const exportFlow = () => {
    const blob = new Blob([serializeFlow(editor.doc)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = exportFileName(bot.name);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const grouped = useMemo(() => groupIssues(issues), [issues]);
  const edgesWithIssues = useMemo(() => new Set(grouped.byEdge.keys()), [grouped]);
  const variables = useMemo(() => knownVariables(editor.doc, manifest), [editor.doc, manifest]);
  const selectedId = editor.selectedNodeIds.length === 1 ? editor.selectedNodeIds[0] : undefined;
  const selected = selectedId === undefined ? undefined : editor.nodeById.get(selectedId);
  const deletableCount = editor.selectedNodeIds.filter((id) => !editor.protectedIds.has(id)).length + editor.selectedEdgeIds.length;

  const highlight = useMemo<FlowHighlight>(
    () => ({
      botId: bot.id,
      selectedNodeId: selectedId,
      highlightNodeId,
      setHighlightNodeId: (id) => setHighlight(id ?? undefined),
      focusNode,
      saveNow: autosave.saveNow,
    }),
    [bot.id, selectedId, highlightNodeId, focusNode, autosave.saveNow],
  );

  return (
    <FlowHighlightContext.Provider value={highlight}>
      <ManifestContext.Provider value={manifest}>
        <NodeViewContext.Provider value={viewStore}>
          <div className="flow-screen">
            <div className="flow-toolbar" role="toolbar" aria-label="Flow">
              <nav className="flow-breadcrumb" aria-label="Breadcrumb">
                <a href={href({ screen: 'bots' })}>Bots</a>
                <span aria-hidden="true">/</span>
                <h1>{bot.name}</h1>
                <a className="muted" href={href({ screen: 'settings', botId: bot.id })}>
                  Settings
                </a>
              </nav>
              <span className="flow-toolbar-sep" />
              <Button small onClick={editor.undo} disabled={!editor.canUndo} title={`Undo (${mod}Z)`}>
                Undo
              </Button>
              <Button small onClick={editor.redo} disabled={!editor.canRedo} title={`Redo (${mod}Shift+Z)`}>
                Redo
              </Button>
              <Button small onClick={editor.deleteSelection} disabled={deletableCount === 0} title="Delete the selection (Delete)" aria-label="Delete selection">
                Delete
              </Button>
              <span className="grow" />
              <IssuesMenu issues={issues} onShowNode={focusNode} />
              <SaveStatus status={autosave.status} error={autosave.error} onRetry={() => void autosave.saveNow()} />
              <span className="flow-toolbar-sep" />
              <Button small onClick={() => fileInput.current?.click()} title="Replace the draft with a flow file">
                Import
              </Button>
              <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={(e) => void onImportFile(e)} data-testid="import-file" aria-label="Flow file to import" />
              <Button small onClick={exportFlow} title="Download the draft as a flow file">
                Export
              </Button>
              <VersionsMenu botId={bot.id} refreshKey={versionsKey} onRestore={(version) => setConfirm({ kind: 'restore', version })} />
              <Button small onClick={() => setTestOpen(!testOpen)} aria-pressed={testOpen} data-testid="test-chat-toggle">
                Test chat
              </Button>
              <Button variant="primary" onClick={() => void publish()} disabled={busy === 'publish'} data-testid="publish">
                {busy === 'publish' ? 'Publishing…' : 'Publish'}
              </Button>
            </div>
            <UpgradeBanner upgrades={upgrades} manifest={manifest} busy={busy === 'upgrade'} onUpgrade={() => void upgrade()} />
            {error ? (
              <div className="flow-banner">
                <ErrorBanner error={error} />
              </div>
            ) : null}
            {notice ? (
              <div className="banner banner-info flow-banner row" role="status" data-testid="flow-notice">
                <span className="grow">{notice}</span>
                <Button small onClick={() => setNotice(undefined)} aria-label="Dismiss">
                  ✕
                </Button>
              </div>
            ) : null}
            <div className="flow-body">
              <Palette manifests={manifest.latest} onAdd={addAtCentre} />
              <div className="flow-canvas" ref={canvas}>
                <FlowCanvas editor={editor} manifest={manifest} edgesWithIssues={edgesWithIssues} onAddAt={editor.addNodeAt} />
                {grouped.general.length ? (
                  <ul className="flow-general-issues" aria-label="Problems with the whole flow">
                    {grouped.general.map((issue, i) => (
                      <li key={i} className={`flow-issue flow-issue-${issue.severity}`}>
                        {issue.message}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
              {selected ? (
                <aside className="flow-side flow-side-inspector" aria-label="Node settings" data-flow-keys="off">
                  <NodeInspector
                    key={selected.id}
                    node={selected}
                    type={manifest.get(selected.type, selected.typeVersion)}
                    issues={grouped.byNode.get(selected.id) ?? []}
                    botId={bot.id}
                    variables={variables}
                    deletable={!editor.protectedIds.has(selected.id)}
                    onConfig={(config, fieldKey) => editor.updateConfig(selected.id, config, fieldKey)}
                    onLabel={(label) => editor.updateLabel(selected.id, label)}
                    onDelete={editor.deleteSelection}
                    onClose={() => {
                      editor.select([]);
                      canvas.current?.querySelector<HTMLElement>('.react-flow__pane')?.focus();
                    }}
                  />
                </aside>
              ) : null}
              {testOpen ? (
                <aside className="flow-side flow-side-test" aria-label="Test chat" data-flow-keys="off">
                  <TestChat botId={bot.id} onNodeChange={(id) => setHighlight(id ?? undefined)} />
                </aside>
              ) : null}
            </div>
          </div>
          {confirm?.kind === 'restore' ? (
            <ConfirmDialog
              title={`Restore version ${confirm.version}?`}
              confirmLabel="Restore"
              onCancel={() => setConfirm(undefined)}
              onConfirm={() => {
                setConfirm(undefined);
                void restore(confirm.version);
              }}
            >
              <p>The draft is replaced by the flow of version {confirm.version}. Published versions do not change; publish again to make it live.</p>
            </ConfirmDialog>
          ) : confirm?.kind === 'import' ? (
            <ConfirmDialog
              title="Replace the draft?"
              confirmLabel="Replace draft"
              onCancel={() => setConfirm(undefined)}
              onConfirm={() => {
                const imported = confirm.flow;
                setConfirm(undefined);
                editor.replace(imported);
                editor.select([]);
                setNotice(`Imported ${confirm.fileName}. Undo brings back the previous draft.`);
                requestAnimationFrame(() => void flow.fitView({ maxZoom: 1, padding: 0.2 }));
              }}
            >
              <p>
                The draft is replaced by the {confirm.flow.nodes.length} nodes of <strong>{confirm.fileName}</strong>.
              </p>
            </ConfirmDialog>
          ) : null}
        </NodeViewContext.Provider>
      </ManifestContext.Provider>
    </FlowHighlightContext.Provider>
  );
}
