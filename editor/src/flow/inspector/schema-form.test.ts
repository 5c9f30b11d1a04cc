import { describe, expect, it } from 'vitest';
import { pathKey } from '../flow-issues.js';
import { asSchema, defaultValue, normalizeSchema, objectUnion } from '../json-schema.js';
import { manifestOf } from '../../../testing/test-manifest.js';
import { formFields, getIn, groupFields, humanize, isVisible, moveItem, optionLabel, placeholderFor, setIn, shownPaths, singular, switchVariant, widgetFor } from './schema-form.js';

const schemaOf = (type: string) => asSchema(manifestOf(type).configSchema);
const fieldsOf = (type: string, config: unknown = {}) => formFields(schemaOf(type), config);
const kinds = (type: string, config: unknown = {}) => Object.fromEntries(fieldsOf(type, config).map((f) => [f.name, f.kind]));

describe('which widget renders which schema', () => {
  it('follows x-ui.widget where it fits the type', () => {
    expect(kinds('send_message')).toEqual({ text: 'template' });
    expect(kinds('llm_reply')).toMatchObject({ instructions: 'textarea', model: 'text', temperature: 'number', historyRounds: 'number', saveAs: 'variable' });
    expect(kinds('collect_email')).toMatchObject({ prompt: 'template', saveAs: 'variable', skipIfKnown: 'switch', maxAttempts: 'number' });
    expect(kinds('condition')).toEqual({ rules: 'list', ignoreCase: 'switch' });
    expect(kinds('http_request', { method: 'POST' })).toMatchObject({ method: 'select', url: 'template', headers: 'list', body: 'template' });
    expect(kinds('assign_to_user')).toMatchObject({ assignTo: 'select', texts: 'object', requireEmail: 'switch' });
    expect(kinds('check_service_hours', { calendar: 'custom' })).toEqual({ calendar: 'select', serviceHours: 'object' });
  });

  it('chooses by type without hints', () => {
    expect(widgetFor({ type: 'boolean' })).toBe('switch');
    expect(widgetFor({ type: 'integer', minimum: 1 })).toBe('number');
    expect(widgetFor({ type: 'string', enum: ['a', 'b'] })).toBe('select');
    expect(widgetFor({ type: 'string' })).toBe('text');
    expect(widgetFor({ type: 'array', items: { type: 'string', enum: ['mon', 'tue'] } })).toBe('checkboxes');
    expect(widgetFor({ type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } })).toBe('list');
    expect(widgetFor({ type: 'array', items: { type: 'string' } })).toBe('list');
    expect(widgetFor({ type: 'object', properties: { a: { type: 'string' } } })).toBe('object');
    expect(widgetFor({ type: 'object' })).toBe('json');
    expect(widgetFor({})).toBe('json');
  });

  it('a write-only string (a desk secret) is a password field, whatever its hint', () => {
    expect(widgetFor({ type: 'string', format: 'password' })).toBe('password');
    expect(widgetFor({ type: 'string', format: 'password', 'x-ui': { widget: 'text' } })).toBe('password');
    expect(widgetFor({ type: 'string', format: 'email' })).toBe('text');
  });

  it("a text field suggests the schema's string examples", () => {
    const schema = {
      type: 'object',
      properties: { apiBaseUrl: { type: 'string', format: 'uri', examples: ['https://api.eu.intercom.io', 42] }, name: { type: 'string' } },
    };
    const [url, name] = formFields(schema, {});
    expect(url).toMatchObject({ kind: 'text', suggestions: ['https://api.eu.intercom.io'] });
    expect(name!.suggestions).toBeUndefined();
  });

  it('ignores a hint that does not fit the type', () => {
    expect(widgetFor({ type: 'string', 'x-ui': { widget: 'switch' } })).toBe('text');
    expect(widgetFor({ type: 'boolean', 'x-ui': { widget: 'template' } })).toBe('switch');
  });

  it("treats '' | url as a string field", () => {
    const field = fieldsOf('end').find((f) => f.name === 'recordUrl')!;
    expect(field.kind).toBe('text');
    expect(field.advanced).toBe(true);
    expect(normalizeSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toEqual({ type: 'string' });
  });
});

describe('labels, help, placeholders', () => {
  it('takes them from x-ui, falling back to the humanised name and the default', () => {
    const [timeout, saveAs] = fieldsOf('wait_for_reply');
    expect(timeout).toMatchObject({ label: 'Timeout (seconds)', help: 'How long to wait before taking the timeout exit.', placeholder: '300', min: 1, max: 7776000, integer: true, required: false });
    expect(saveAs).toMatchObject({ label: 'Save the answer as', placeholder: 'answer' });
    const texts = fieldsOf('assign_to_user').find((f) => f.name === 'texts')!;
    expect(formFields(texts.schema, {}).map((f) => f.label).slice(0, 2)).toEqual(['Email prompt', 'Email invalid']);
    expect(fieldsOf('send_message')[0]).toMatchObject({ required: true, multiline: true });
    expect(fieldsOf('http_request').find((f) => f.name === 'url')).toMatchObject({ required: true, multiline: false });
  });

  it('humanises names and options', () => {
    expect(humanize('timeoutSeconds')).toBe('Timeout seconds');
    expect(humanize('user_id')).toBe('User id');
    expect(optionLabel('anyone')).toBe('Anyone');
    expect(optionLabel('GET')).toBe('GET');
    expect(singular('Rules')).toBe('Rule');
    expect(singular('Entries')).toBe('Entry');
    expect(singular('Service hours')).toBe('Service hour');
    expect(placeholderFor({ type: 'string', default: '' })).toBeUndefined();
  });
});

describe('visibleWhen and advanced fields', () => {
  it('shows a field only when its sibling has one of the values (its default counts)', () => {
    expect(fieldsOf('http_request').map((f) => f.name)).not.toContain('body');
    expect(fieldsOf('http_request', { method: 'PUT' }).map((f) => f.name)).toContain('body');
    expect(fieldsOf('assign_to_user', { assignTo: 'team' }).map((f) => f.name)).toContain('teamId');
    expect(fieldsOf('assign_to_user', { assignTo: 'team' }).map((f) => f.name)).not.toContain('userId');
    expect(fieldsOf('check_service_hours').map((f) => f.name)).toEqual(['calendar']);
    expect(isVisible({ field: 'a', equals: true }, { a: true })).toBe(true);
    expect(isVisible(undefined, {})).toBe(true);
  });

  it('marks advanced fields', () => {
    expect(fieldsOf('llm_reply').filter((f) => f.advanced).map((f) => f.name)).toEqual(['model', 'temperature', 'historyRounds', 'saveAs']);
  });

  it('hides a list row field by the row’s own values', () => {
    const rules = fieldsOf('condition').find((f) => f.name === 'rules')!;
    const items = rules.schema.items!;
    expect(formFields(items, { op: 'exists' }).map((f) => f.name)).toEqual(['port', 'variable', 'op']);
    expect(formFields(items, {}).map((f) => f.name)).toEqual(['port', 'variable', 'op', 'value']);
  });
});

describe('unions of objects (service-hour rules)', () => {
  const hours = formFields(fieldsOf('check_service_hours', { calendar: 'custom' })[1]!.schema, {});
  const rules = hours.find((f) => f.name === 'rules')!;

  it('renders a rule as a kind chooser and the chosen kind’s fields', () => {
    expect(rules.kind).toBe('list');
    const weekly = formFields(rules.schema.items!, { kind: 'weekly' }, ['rules', 0]);
    expect(weekly.map((f) => [f.name, f.kind])).toEqual([
      ['kind', 'select'],
      ['days', 'checkboxes'],
      ['start', 'text'],
      ['end', 'text'],
    ]);
    expect(weekly[0]!.options!.map((o) => o.value)).toEqual(['weekly', 'date']);
    expect(weekly[0]!.path).toEqual(['rules', 0, 'kind']);
    expect(weekly[1]!.options!.map((o) => o.label).slice(0, 2)).toEqual(['Mon', 'Tue']);
    expect(formFields(rules.schema.items!, { kind: 'date' }).map((f) => f.name)).toEqual(['kind', 'date', 'start', 'end', 'closed']);
  });

  it('switches kind keeping the fields both kinds have', () => {
    const union = objectUnion(rules.schema.items!)!;
    expect(switchVariant({ kind: 'weekly', days: ['mon'], start: '09:00', end: '17:00' }, union, 'date')).toEqual({ kind: 'date', date: '', start: '09:00', end: '17:00' });
  });
});

describe('values', () => {
  it('starts a new list row with defaults and empty required fields', () => {
    const rules = fieldsOf('condition').find((f) => f.name === 'rules')!;
    expect(defaultValue(rules.schema.items!)).toEqual({ port: '', variable: '', op: 'equals', value: '' });
    expect(defaultValue({ type: 'integer', minimum: 5 })).toBe(5);
  });

  it('sets and removes values at a path without touching the input', () => {
    const config = { rules: [{ port: 'a' }], keep: 1 };
    const next = setIn(config, ['rules', 0, 'port'], 'b') as typeof config;
    expect(next).toEqual({ rules: [{ port: 'b' }], keep: 1 });
    expect(config.rules[0]!.port).toBe('a');
    expect(setIn(config, ['keep'], undefined)).toEqual({ rules: [{ port: 'a' }] });
    expect(setIn({}, ['texts', 'waiting'], 'Hold on')).toEqual({ texts: { waiting: 'Hold on' } });
    expect(getIn(next, ['rules', 0, 'port'])).toBe('b');
    expect(getIn(next, ['rules', 3, 'port'])).toBeUndefined();
  });

  it('moves list items', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});

describe('paths the form shows', () => {
  it('includes nested fields and list rows, and leaves out hidden ones', () => {
    const paths = shownPaths(schemaOf('condition'), { rules: [{ port: 'a', variable: 'x', op: 'exists' }] });
    expect(paths.has(pathKey(['rules']))).toBe(true);
    expect(paths.has(pathKey(['rules', 0]))).toBe(true);
    expect(paths.has(pathKey(['rules', 0, 'port']))).toBe(true);
    expect(paths.has(pathKey(['rules', 0, 'value']))).toBe(false);
    const hours = shownPaths(schemaOf('check_service_hours'), { calendar: 'custom', serviceHours: { rules: [{ kind: 'weekly' }] } });
    expect(hours.has(pathKey(['serviceHours', 'rules', 0, 'days']))).toBe(true);
    expect(hours.has(pathKey(['serviceHours', 'timezone']))).toBe(true);
  });
});

describe('groups', () => {
  it('keeps fields of a group together where the group starts', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'string', 'x-ui': { group: 'G' } },
        b: { type: 'string' },
        c: { type: 'string', 'x-ui': { group: 'G' } },
      },
    };
    expect(groupFields(formFields(schema, {})).map((s) => [s.group, s.fields.map((f) => f.name)])).toEqual([
      ['G', ['a', 'c']],
      [undefined, ['b']],
    ]);
  });
});
