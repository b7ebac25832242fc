/**
 * The composer's formatting commands as pure text edits: given the text and the selection, what
 * to replace and what to select afterwards. The field applies the edit with the browser's own
 * insertText, so Undo takes it back like typing.
 */
export const FORMATS = ['bold', 'italic', 'link', 'quote', 'bullets', 'numbers', 'code', 'heading'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatEdit {
  /** The range of the text to replace... */
  from: number;
  to: number;
  /** ...with this. */
  insert: string;
  /** The selection afterwards, in the new text. */
  selectStart: number;
  selectEnd: number;
}

const WRAPS: Partial<Record<Format, string>> = { bold: '**', italic: '*' };
const LINE_PREFIXES: Partial<Record<Format, (index: number) => string>> = {
  quote: () => '> ',
  bullets: () => '- ',
  numbers: (i) => `${i + 1}. `,
  heading: () => '## ',
};

export function formatEdit(text: string, start: number, end: number, format: Format): FormatEdit {
  const selected = text.slice(start, end);
  const wrap = WRAPS[format] ?? (format === 'code' && !selected.includes('\n') ? '`' : undefined);
  if (wrap) {
    // Already wrapped (the markers just outside the selection): unwrap.
    const before = text.slice(start - wrap.length, start);
    const after = text.slice(end, end + wrap.length);
    const outer =
      text.slice(start - wrap.length - 1, start - wrap.length) + text.slice(end + wrap.length, end + wrap.length + 1);
    if (before === wrap && after === wrap && !(wrap === '*' && outer.includes('*'))) {
      return {
        from: start - wrap.length,
        to: end + wrap.length,
        insert: selected,
        selectStart: start - wrap.length,
        selectEnd: end - wrap.length,
      };
    }
    return {
      from: start,
      to: end,
      insert: `${wrap}${selected}${wrap}`,
      selectStart: start + wrap.length,
      selectEnd: end + wrap.length,
    };
  }
  if (format === 'link') {
    const url = 'https://';
    const insert = `[${selected}](${url})`;
    // With text selected, the address is what is left to type; otherwise the link's text.
    return selected
      ? { from: start, to: end, insert, selectStart: start + selected.length + 3, selectEnd: start + insert.length - 1 }
      : { from: start, to: end, insert, selectStart: start + 1, selectEnd: start + 1 };
  }
  if (format === 'code') {
    const lead = start > 0 && text[start - 1] !== '\n' ? '\n' : '';
    const insert = `${lead}\`\`\`\n${selected}\n\`\`\`\n`;
    const inner = start + lead.length + 4;
    return { from: start, to: end, insert, selectStart: inner, selectEnd: inner + selected.length };
  }
  // Line formats apply to every line the selection touches.
  const prefix = LINE_PREFIXES[format]!;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = text.indexOf('\n', end > start && text[end - 1] === '\n' ? end - 1 : end);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak;
  const lines = text.slice(lineStart, lineEnd).split('\n');
  const insert = lines.map((line, i) => `${prefix(i)}${line}`).join('\n');
  const first = prefix(0).length;
  return {
    from: lineStart,
    to: lineEnd,
    insert,
    selectStart: start === end ? start + first : lineStart,
    selectEnd: start === end ? end + first : lineStart + insert.length,
  };
}

/** The format a shortcut stands for: Ctrl (Cmd on a Mac) with B, I or K. */
export function formatForShortcut(event: KeyboardEvent): Format | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  const key = event.key.toLowerCase();
  return key === 'b' ? 'bold' : key === 'i' ? 'italic' : key === 'k' ? 'link' : null;
}

/** Applies a format to the field's selection as an edit the browser can undo, then selects the result. */
export function applyFormat(area: HTMLTextAreaElement, format: Format): void {
  const edit = formatEdit(area.value, area.selectionStart, area.selectionEnd, format);
  area.focus();
  area.setSelectionRange(edit.from, edit.to);
  // insertText keeps the browser's undo history and fires `input` (so bound values follow);
  // where it is missing, the text is replaced directly and `input` sent by hand.
  const done = edit.insert !== '' && document.execCommand('insertText', false, edit.insert);
  if (!done) {
    area.setRangeText(edit.insert, edit.from, edit.to, 'end');
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }
  area.setSelectionRange(edit.selectStart, edit.selectEnd);
}
