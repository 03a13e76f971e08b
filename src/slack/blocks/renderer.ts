import type { Renderer } from '../../services/renderer';
import { incidentCard } from './card';
import { declareModal } from './declare-modal';
import { renderSummaryBlocks } from './postmortem';

/** The services' {@link Renderer} port in Block Kit; given to them by the composition root. */
export const blockKitRenderer: Renderer = {
  card: (view) => incidentCard(view),
  postmortemSummary: (doc, opts) => renderSummaryBlocks(doc, opts),
  declareModal: (originChannel, opts) => declareModal(originChannel, opts),
};
