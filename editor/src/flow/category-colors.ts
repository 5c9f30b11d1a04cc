/** The accent of each palette category, shared by cards, palette and minimap (see flow.css). */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  flow: '#475569',
  message: '#3355ff',
  input: '#0e7490',
  ai: '#a21caf',
  logic: '#7c3aed',
  integration: '#0f766e',
  handoff: '#c2410c',
};
