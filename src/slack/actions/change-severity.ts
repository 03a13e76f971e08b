import { SEVERITIES, type Severity } from '../../domain/types';
import type { ControlDeps } from '../controls';
import { cardCommand } from './card-command';

const isSeverity = (value: string | undefined): value is Severity =>
  (SEVERITIES as readonly string[]).includes(value ?? '');

/** The card's severity menu (`card_severity`): changes the severity. */
export const changeSeverity = (deps: ControlDeps) =>
  cardCommand(deps, 'severity choice', (action) => {
    const picked = action.selected_option?.value;
    return isSeverity(picked) ? { kind: 'severity', severity: picked } : null;
  });
