// A row of radio buttons (@vscode-elements) for one choice of a page: the time range, the lanes.
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';

export interface Choice<V extends string> {
  element: HTMLElement;
  /** Shows `value` as chosen (a state restored, a change made elsewhere). */
  set(value: V): void;
}

/** `options` in order, `current` checked; `onChange` hears each value the user chooses. */
export function choice<V extends string>(label: string, options: readonly { value: V; label: string }[], current: V, onChange: (value: V) => void): Choice<V> {
  const group = document.createElement('vscode-radio-group');
  group.setAttribute('aria-label', label);
  const radios = options.map(o => {
    const radio = document.createElement('vscode-radio');
    radio.name = label;
    radio.value = o.value;
    radio.label = o.label;
    radio.checked = o.value === current;
    group.append(radio);
    return radio;
  });
  let chosen = current;
  group.addEventListener('change', () => {
    const value = radios.find(r => r.checked)?.value as V | undefined;
    if (value !== undefined && value !== chosen) {
      chosen = value;
      onChange(value);
    }
  });
  return {
    element: group,
    set(value) {
      chosen = value;
      for (const r of radios) r.checked = r.value === value;
    },
  };
}
