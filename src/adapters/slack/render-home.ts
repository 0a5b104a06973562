import type { types } from '@slack/bolt';
import type { HomeSection, HomeView } from '../../core/model/inbox';
import { truncate } from '../../core/text/truncate';
import { SLACK_LIMITS } from './limits';
import { fitMrkdwn } from './mrkdwn';
import { renderCard } from './render-card';

type Block = types.KnownBlock;

const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true } });
const smallPrint = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: fitMrkdwn(text, SLACK_LIMITS.contextText) }] });

/**
 * Renders a home view as the App Home's Home tab. Each item is rendered as a card of its own
 * (so its buttons are the card's buttons), and items are shown while they fit in a view's
 * 100 blocks; each section then says how many more it has. Every section keeps room for
 * its heading and that note, so a long first section never hides the second one's heading.
 */
export function renderHome(view: HomeView): types.HomeView {
  const blocks: Block[] = [header(view.title)];
  if (view.note) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitMrkdwn(view.note, SLACK_LIMITS.sectionText) } });
  let left = SLACK_LIMITS.blocksPerView - blocks.length - view.sections.length * 2;
  for (const section of view.sections) {
    const rendered = renderSection(section, left);
    left -= rendered.itemBlocks;
    blocks.push(...rendered.blocks);
  }
  return { type: 'home', blocks };
}

/** A section's heading, the items that fit in `room` blocks, and the empty or "more" note. */
function renderSection(section: HomeSection, room: number): { blocks: Block[]; itemBlocks: number } {
  const blocks: Block[] = [header(section.heading)];
  if (section.items.length === 0 && section.more === 0) return { blocks: [...blocks, smallPrint(section.empty)], itemBlocks: 0 };
  let used = 0;
  let shown = 0;
  for (const item of section.items) {
    const itemBlocks: Block[] = [{ type: 'divider' }, ...renderCard({ accent: 'neutral', elements: item })];
    if (used + itemBlocks.length > room) break;
    blocks.push(...itemBlocks);
    used += itemBlocks.length;
    shown += 1;
  }
  const more = section.more + section.items.length - shown;
  if (more > 0) blocks.push(smallPrint(`…and ${more} more not shown here.`));
  return { blocks, itemBlocks: used };
}
