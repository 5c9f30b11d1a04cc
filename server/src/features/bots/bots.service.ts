import { and, desc, eq, inArray, like, max, sql } from 'drizzle-orm';
import {
  availableUpgrades,
  emptyFlow,
  upgradeFlow,
  type NodeUpgrade,
  flowDocumentSchema,
  hasErrors,
  pinFlow,
  validateFlow,
  type FlowDocument,
  type FlowIssue,
  type NodeRegistry,
  type ServiceHours,
} from '@baton/nodes';
import type { Db } from '../../db/database.js';
import { botSettings, bots, flowDrafts, flowVersions, secrets } from '../../db/schema.js';
import { AppError, notFound } from '../../http/errors.js';
import type { SecretBox } from '../../security/secret-box.js';
import { newId } from '../../security/tokens.js';
import { DEFAULT_CLOSED_NOTICE, DEFAULT_SETTINGS, SECRET_FIELDS, SECRET_MASK, botSettingsInputSchema, type BotSettings } from './bot-settings.js';

export interface BotSummary {
  id: string;
  name: string;
  createdAt: Date;
  enabled: boolean;
  publishedVersion: number | null;
}

export type BotsService = ReturnType<typeof createBotsService>;

/** Node secrets are stored beside desk credentials, under this prefix. */
const NODE_SECRET_PREFIX = 'node.';
const DESK_SECRET_NAMES = SECRET_FIELDS.map((field) => field.path);

function getPath(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = object;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!next || typeof next !== 'object') return;
    current = next as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete current[last];
  else current[last] = value;
}

export function createBotsService(db: Db, registry: NodeRegistry, box: SecretBox) {
  const requireBot = (botId: string) => {
    const bot = db.select().from(bots).where(eq(bots.id, botId)).get();
    if (!bot) throw notFound(`Bot ${botId}`);
    return bot;
  };

  const latestVersion = (botId: string, tx: Pick<Db, 'select'> = db): number | null =>
    tx
      .select({ version: max(flowVersions.version) })
      .from(flowVersions)
      .where(and(eq(flowVersions.botId, botId), sql`${flowVersions.version} > 0`))
      .get()?.version ?? null;

  // Read for every user message (a switched-off bot stops answering): the one field, prepared once.
  const enabledFlag = db
    .select({ enabled: sql<number | null>`json_extract(${botSettings.settings}, '$.enabled')` })
    .from(botSettings)
    .where(eq(botSettings.botId, sql.placeholder('botId')))
    .prepare();

  const storedSettings = (botId: string): BotSettings => {
    const row = db.select().from(botSettings).where(eq(botSettings.botId, botId)).get();
    const parsed = botSettingsInputSchema.safeParse(row?.settings ?? {});
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  };

  /** Desk credentials, by their settings path (`desks.webhook.secret`…). */
  const readSecrets = (botId: string): Map<string, string> =>
    new Map(
      db
        .select()
        .from(secrets)
        .where(and(eq(secrets.botId, botId), inArray(secrets.name, DESK_SECRET_NAMES)))
        .all()
        .map((row) => [row.name, box.open(row.ciphertext, `${botId}:${row.name}`)]),
    );

  const service = {
    list(): BotSummary[] {
      return db
        .select()
        .from(bots)
        .orderBy(bots.createdAt)
        .all()
        .map((bot) => ({ ...bot, enabled: storedSettings(bot.id).enabled, publishedVersion: latestVersion(bot.id) }));
    },

    get(botId: string): BotSummary {
      const bot = requireBot(botId);
      return { ...bot, enabled: storedSettings(botId).enabled, publishedVersion: latestVersion(botId) };
    },

    /** Whether the bot is switched on for live channels. */
    isEnabled(botId: string): boolean {
      return enabledFlag.get({ botId })?.enabled === 1;
    },

    /** The bot's last line to conversations it has when it is switched off. */
    closedNotice(botId: string): string {
      return storedSettings(botId).closedNotice ?? DEFAULT_CLOSED_NOTICE;
    },

    create(name: string, userId: string | undefined): BotSummary {
      const id = newId('bot');
      const now = new Date();
      db.transaction((tx) => {
        tx.insert(bots).values({ id, name, createdAt: now }).run();
        tx.insert(flowDrafts).values({ botId: id, document: emptyFlow(name), updatedAt: now, updatedBy: userId ?? null }).run();
        tx.insert(botSettings).values({ botId: id, settings: DEFAULT_SETTINGS, updatedAt: now }).run();
      });
      return { id, name, createdAt: now, enabled: false, publishedVersion: null };
    },

    draft(botId: string): { flow: FlowDocument; issues: FlowIssue[]; upgrades: NodeUpgrade[]; updatedAt: Date } {
      requireBot(botId);
      const row = db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get();
      const flow = flowDocumentSchema.parse(row?.document ?? emptyFlow());
      return { flow, issues: validateFlow(flow, registry), upgrades: availableUpgrades(flow, registry), updatedAt: row?.updatedAt ?? new Date(0) };
    },

    /** Moves the draft's nodes to the newest versions their packages can upgrade them to. */
    upgradeDraft(botId: string, userId: string | undefined) {
      const draft = service.draft(botId);
      let result;
      try {
        result = upgradeFlow(draft.flow, registry);
      } catch (error) {
        // A node package's upgrade function failed on this config: say which node, change nothing.
        throw new AppError(422, 'upgrade_failed', error instanceof Error ? error.message : String(error));
      }
      if (result.upgraded.length === 0) return { ...draft, upgraded: [] };
      return { ...service.saveDraft(botId, result.flow, userId), upgraded: result.upgraded };
    },

    /** The answer to a document that is not a flow at all: 422 with what validateFlow finds. */
    notAFlow(document: unknown): AppError {
      const issues = validateFlow(document, registry);
      return new AppError(422, 'invalid_flow_document', `The flow document is not valid: ${issues[0]?.message ?? 'unknown shape'}`, issues);
    },

    /** Drafts may hold issues; only a document that is not a flow at all is refused. */
    saveDraft(botId: string, document: unknown, userId: string | undefined): { flow: FlowDocument; issues: FlowIssue[]; upgrades: NodeUpgrade[]; updatedAt: Date } {
      requireBot(botId);
      const parsed = flowDocumentSchema.safeParse(document);
      if (!parsed.success) throw service.notAFlow(document);
      // A node added without a version (the editor's palette) is on the newest one installed now:
      // write it down, or installing a newer version later would silently move the draft onto it
      // without its `upgrade`, instead of offering the upgrade.
      const flow: FlowDocument = {
        ...parsed.data,
        nodes: parsed.data.nodes.map((node) => {
          const latest = node.typeVersion === undefined ? registry.get(node.type)?.version : undefined;
          return latest === undefined ? node : { ...node, typeVersion: latest };
        }),
      };
      const updatedAt = new Date();
      db.insert(flowDrafts)
        .values({ botId, document: flow, updatedAt, updatedBy: userId ?? null })
        .onConflictDoUpdate({ target: flowDrafts.botId, set: { document: flow, updatedAt, updatedBy: userId ?? null } })
        .run();
      return { flow, issues: validateFlow(flow, registry), upgrades: availableUpgrades(flow, registry), updatedAt };
    },

    publish(botId: string, userId: string | undefined): { version: number; issues: FlowIssue[] } {
      const { flow, issues } = service.draft(botId);
      if (hasErrors(issues)) {
        const errors = issues.filter((i) => i.severity === 'error');
        throw new AppError(422, 'flow_invalid', `The flow has ${errors.length} error(s); fix them before publishing`, issues);
      }
      const version = db.transaction((tx) => {
        const next = (latestVersion(botId, tx) ?? 0) + 1;
        tx.insert(flowVersions).values({ botId, version: next, document: pinFlow(flow, registry), createdBy: userId ?? null }).run();
        return next;
      });
      return { version, issues };
    },

    /** An immutable copy of the current draft for the test chat, numbered below zero. */
    snapshotDraft(botId: string, userId: string | undefined): number {
      const { flow, issues } = service.draft(botId);
      if (hasErrors(issues)) {
        throw new AppError(422, 'flow_invalid', 'The draft has errors; fix them to test it', issues);
      }
      return db.transaction((tx) => {
        const lowest = tx.select({ version: sql<number>`min(${flowVersions.version})` }).from(flowVersions).where(eq(flowVersions.botId, botId)).get()?.version ?? 0;
        const version = Math.min(lowest ?? 0, 0) - 1;
        tx.insert(flowVersions).values({ botId, version, document: pinFlow(flow, registry), createdBy: userId ?? null }).run();
        return version;
      });
    },

    versions(botId: string) {
      requireBot(botId);
      return db
        .select({ version: flowVersions.version, createdAt: flowVersions.createdAt, createdBy: flowVersions.createdBy })
        .from(flowVersions)
        .where(and(eq(flowVersions.botId, botId), sql`${flowVersions.version} > 0`))
        .orderBy(desc(flowVersions.version))
        .all()
        .map((row) => ({ version: row.version, publishedAt: row.createdAt, publishedBy: row.createdBy }));
    },

    version(botId: string, version: number): FlowDocument {
      const row = db.select().from(flowVersions).where(and(eq(flowVersions.botId, botId), eq(flowVersions.version, version))).get();
      if (!row) throw notFound(`Version ${version} of bot ${botId}`);
      return flowDocumentSchema.parse(row.document);
    },

    restore(botId: string, version: number, userId: string | undefined) {
      requireBot(botId);
      return service.saveDraft(botId, service.version(botId, version), userId);
    },

    latestVersion,

    /** Settings with secrets masked, as the API shows them. */
    settings(botId: string): BotSettings {
      requireBot(botId);
      const settings = structuredClone(storedSettings(botId)) as unknown as Record<string, unknown>;
      const stored = readSecrets(botId);
      for (const field of SECRET_FIELDS) if (stored.has(field.path)) setPath(settings, field.path, SECRET_MASK);
      return settings as unknown as BotSettings;
    },

    /** Settings with secrets in clear, for the engine and the desks only. */
    settingsWithSecrets(botId: string): BotSettings {
      const settings = structuredClone(storedSettings(botId)) as unknown as Record<string, unknown>;
      for (const [path, value] of readSecrets(botId)) setPath(settings, path, value);
      return settings as unknown as BotSettings;
    },

    /** The bot's own secrets that nodes reference by name (`secretRef()`); values never leave the server. */
    listSecrets(botId: string): { name: string; updatedAt: Date }[] {
      requireBot(botId);
      return db
        .select({ name: secrets.name, updatedAt: secrets.updatedAt })
        .from(secrets)
        .where(and(eq(secrets.botId, botId), like(secrets.name, `${NODE_SECRET_PREFIX}%`)))
        .orderBy(secrets.name)
        .all()
        .map((row) => ({ name: row.name.slice(NODE_SECRET_PREFIX.length), updatedAt: row.updatedAt }));
    },

    setSecret(botId: string, name: string, value: string): void {
      requireBot(botId);
      const key = `${NODE_SECRET_PREFIX}${name}`;
      const row = { botId, name: key, ciphertext: box.seal(value, `${botId}:${key}`), updatedAt: new Date() };
      db.insert(secrets)
        .values(row)
        .onConflictDoUpdate({ target: [secrets.botId, secrets.name], set: { ciphertext: row.ciphertext, updatedAt: row.updatedAt } })
        .run();
    },

    deleteSecret(botId: string, name: string): boolean {
      requireBot(botId);
      return db.delete(secrets).where(and(eq(secrets.botId, botId), eq(secrets.name, `${NODE_SECRET_PREFIX}${name}`))).run().changes > 0;
    },

    /** A secret's value, for the worker's activities only. */
    secret(botId: string, name: string): string | undefined {
      const key = `${NODE_SECRET_PREFIX}${name}`;
      const row = db.select().from(secrets).where(and(eq(secrets.botId, botId), eq(secrets.name, key))).get();
      return row ? box.open(row.ciphertext, `${botId}:${key}`) : undefined;
    },

    serviceHours(botId: string): ServiceHours | undefined {
      return storedSettings(botId).serviceHours;
    },

    /**
     * What anyone may see of the widget settings: the colour and the greeting, picked one by one
     * (never the allowed origins or anything else of the settings). A blank greeting is none.
     */
    widgetAppearance(botId: string): { color?: string; greeting?: string } {
      requireBot(botId);
      const { color, greeting } = storedSettings(botId).widget;
      const text = greeting?.trim();
      return { ...(color ? { color } : {}), ...(text ? { greeting: text } : {}) };
    },

    /** Replaces the settings; a secret left out or sent masked keeps its stored value. */
    saveSettings(botId: string, input: BotSettings): BotSettings {
      requireBot(botId);
      const stored = readSecrets(botId);
      const document = structuredClone(input) as unknown as Record<string, unknown>;
      const nextSecrets = new Map<string, string>();
      const missing: { path: string[]; message: string }[] = [];
      for (const field of SECRET_FIELDS) {
        const desk = field.path.split('.').slice(0, 2).join('.');
        if (getPath(document, desk) === undefined) continue;
        const sent = getPath(document, field.path);
        const value = typeof sent === 'string' && sent !== SECRET_MASK ? sent : stored.get(field.path);
        setPath(document, field.path, undefined);
        if (value !== undefined) nextSecrets.set(field.path, value);
        else if (field.required) missing.push({ path: ['body', ...field.path.split('.')], message: 'is required' });
      }
      // The schema cannot say it (a secret may be left out to keep the stored one): it is the stored state that lacks it.
      if (missing.length) throw new AppError(409, 'secret_required', `body.${missing[0]!.path.slice(1).join('.')}: is required (none is stored yet)`, missing);
      const now = new Date();
      db.transaction((tx) => {
        tx.insert(botSettings)
          .values({ botId, settings: document, updatedAt: now })
          .onConflictDoUpdate({ target: botSettings.botId, set: { settings: document, updatedAt: now } })
          .run();
        tx.delete(secrets).where(and(eq(secrets.botId, botId), inArray(secrets.name, DESK_SECRET_NAMES))).run();
        for (const [name, value] of nextSecrets) {
          tx.insert(secrets).values({ botId, name, ciphertext: box.seal(value, `${botId}:${name}`), updatedAt: now }).run();
        }
      });
      return service.settings(botId);
    },
  };
  return service;
}
