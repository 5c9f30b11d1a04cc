import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Field } from '../../../ui/components.js';
import { useFormContext } from '../form-context.js';
import { applyCompletion, completionAt, suggestVariables } from '../template-completion.js';
import { emptyToUndefined, type WidgetProps } from '../widget-props.js';

/** Text with `{{variable}}` placeholders; typing `{{` offers the flow's variables. */
export function TemplateWidget({ field, value, onChange, error }: WidgetProps) {
  const { variables } = useFormContext();
  const text = typeof value === 'string' ? value : '';
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [menu, setMenu] = useState<{ from: number; caret: number; options: string[]; active: number } | null>(null);

  const refresh = (nextText: string, caret: number) => {
    const at = completionAt(nextText, caret);
    const options = at ? suggestVariables(variables, at.query) : [];
    setMenu(at && options.length ? { from: at.from, caret, options, active: 0 } : null);
  };
  const choose = (variable: string) => {
    if (!menu) return;
    const next = applyCompletion(text, menu.from, menu.caret, variable);
    onChange(next.text);
    setMenu(null);
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(next.caret, next.caret);
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!menu) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setMenu({ ...menu, active: (menu.active + step + menu.options.length) % menu.options.length });
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(menu.options[menu.active]!);
    } else if (event.key === 'Escape') {
      // Closes the suggestions only, not the settings panel.
      event.preventDefault();
      event.stopPropagation();
      setMenu(null);
    }
  };

  return (
    <Field label={field.label} help={[field.help, 'Type {{ to insert a variable.'].filter(Boolean).join(' ')} error={error}>
      {(id, describedBy) => (
        <div className="template-field">
          <textarea
            ref={box}
            id={id}
            className={field.multiline ? 'template-multiline' : 'template-line'}
            rows={field.multiline ? 3 : 1}
            value={text}
            placeholder={field.placeholder}
            maxLength={field.schema.maxLength}
            spellCheck
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={menu !== null}
            aria-controls={listId}
            aria-activedescendant={menu ? `${listId}-${menu.active}` : undefined}
            aria-describedby={describedBy}
            aria-required={field.required || undefined}
            aria-invalid={error ? true : undefined}
            data-field={field.name}
            onChange={(e) => {
              onChange(emptyToUndefined(e.target.value, field.required));
              refresh(e.target.value, e.target.selectionStart);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setMenu(null)}
          />
          <ul className="template-suggestions" id={listId} role="listbox" aria-label="Variables" hidden={!menu}>
            {menu?.options.map((option, i) => (
              <li
                key={option}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === menu.active}
                // mousedown, not click: the textarea must not lose focus (which closes the list) first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(option);
                }}
              >
                {`{{${option}}}`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Field>
  );
}
