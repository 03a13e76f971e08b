import type { Renderer } from '../../services/renderer';
import { incidentCard } from './card';
import { declareModal } from './declare-modal';
import { homeTab } from './home';
import { renderSummaryBlocks } from './postmortem';
import { overdueReminderMessage, updateReminderMessage } from './reminders';

/** The services' {@link Renderer} port in Block Kit; given to them by the composition root. */
export const blockKitRenderer: Renderer = {
  card: (view) => incidentCard(view),
  postmortemSummary: (doc, opts) => renderSummaryBlocks(doc, opts),
  declareModal: (originChannel, opts) => declareModal(originChannel, opts),
  // The insights section goes in homeTab's second argument (statsHomeBlocks, from the insights work).
  home: (view) => homeTab(view),
  updateReminder: (reminder, timeZone) => updateReminderMessage(reminder, timeZone),
  overdueReminder: (reminder) => overdueReminderMessage(reminder),
};
