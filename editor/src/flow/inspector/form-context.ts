import { createContext, useContext } from 'react';

/** What every field of a generated form may need besides its own schema and value. */
export interface FormContextValue {
  botId: string;
  /** Variable names for `{{…}}` autocomplete and variable pickers. */
  variables: readonly string[];
  /** Issue messages placed on fields, by `pathKey(path)`. */
  issues: ReadonlyMap<string, string[]>;
}

export const FormContext = createContext<FormContextValue>({ botId: '', variables: [], issues: new Map() });

export const useFormContext = () => useContext(FormContext);
