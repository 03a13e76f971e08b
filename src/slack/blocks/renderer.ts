import type { Renderer } from '../../services/renderer';
import { incidentCard } from './card';
import { declareModal } from './declare-modal';
import { homeTab, INSIGHTS_BLOCKS } from './home';
import { renderSummaryBlocks } from './postmortem';
import { overdueReminderMessage, updateReminderMessage } from './reminders';
import { STATS_HOME_BUDGET, statsHomeBlocks } from './stats';

/** The services' {@link Renderer} port in Block Kit; given to them by the composition root. */
export const blockKitRenderer: Renderer = {
  card: (view) => incidentCard(view),
  postmortemSummary: (doc, opts) => renderSummaryBlocks(doc, opts),
  declareModal: (originChannel, opts) => declareModal(originChannel, opts),
  home: (view) =>
    homeTab(
      view,
      view.insights ? statsHomeBlocks(view.insights, { ...STATS_HOME_BUDGET, blocks: INSIGHTS_BLOCKS }) : [],
    ),
  updateReminder: (reminder, timeZone) => updateReminderMessage(reminder, timeZone),
  overdueReminder: (reminder) => overdueReminderMessage(reminder),
};
