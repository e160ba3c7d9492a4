import type { Messages } from '../../i18n/messages.ts';
import type { CliIo } from '../io.ts';

export function planCommand(_args: string[], _io: CliIo, _t: Messages): number {
  return 2;
}
