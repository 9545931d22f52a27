import { h } from '../dom.ts';
import { confirmDialog } from './confirm-dialog.ts';

/** A styled dialog asking for a line or two of text; resolves to the text, or undefined when cancelled. */
export async function promptDialog(options: { title: string; message: string; confirm: string; maxLength: number }): Promise<string | undefined> {
  const text = h('textarea', { class: 'input', attrs: { rows: 3, maxlength: options.maxLength, required: true, 'data-field': 'message' } });
  const confirmed = await confirmDialog(options, text);
  return confirmed && text.value.trim() ? text.value.trim() : undefined;
}
