/**
 * HTML built only through the `html` tag: every interpolated value is escaped unless it is already `Html`
 * (the output of another `html` call). No other way to write markup exists in this package, so provider text,
 * references and ids can never become markup.
 */
export interface Html {
  readonly __html: string;
}

/** Interpolation: text (escaped), numbers, `Html`, lists of them; `undefined`, `null` and `false` render nothing. */
export type HtmlValue = string | number | Html | undefined | null | false | readonly HtmlValue[];

/** The tag: `html\`<td>${value}</td>\``. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0]!;
  for (let index = 0; index < values.length; index++) out += render(values[index]) + strings[index + 1]!;
  return { __html: out };
}

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ESCAPES[char]!);
}

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  if (isHtml(value)) return value.__html;
  return value.map(render).join('');
}

function isHtml(value: HtmlValue): value is Html {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Html).__html === 'string';
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
