// A block's identity for a Publish lens: its place and its text when the lens was drawn. A click sends the block only
// when the document still holds exactly that there, so an edit above it cannot turn the click into another send.
import { parsePlaybook } from './parser';
import type { Playbook, PlaybookBlock } from './types';

export interface BlockRef {
  index: number;
  /** The offset of the block's first character. */
  start: number;
  /** The block's whole text, from its `###` line (or the start) to the next block. */
  text: string;
}

export function blockRefOf(text: string, playbook: Playbook, index: number): BlockRef {
  const block = playbook.blocks[index];
  if (!block) return { index, start: -1, text: '' };
  return { index, start: block.range.start, text: text.slice(block.range.start, block.range.end) };
}

/** The block a lens was drawn for, or one sentence saying why it is not sent. */
export function findBlock(text: string, playbook: Playbook, ref: BlockRef): PlaybookBlock | string {
  const block = playbook.blocks[ref.index];
  if (block && block.range.start === ref.start && text.slice(block.range.start, block.range.end) === ref.text) return block;
  const was = parsePlaybook(ref.text).blocks[0];
  const name = was?.title ? `"${was.title}"` : `${was?.verb ?? 'block'} ${was?.subject ?? ref.index + 1}`.trim();
  return `${name} changed after its lens was drawn (the text above it or in it was edited), so nothing was sent: check the block and click its lens again.`;
}
