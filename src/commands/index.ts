// The command table: every command the bot knows, on every platform.
import { board, member, members } from './coop/roster.js';
import { requirements } from './coop/requirements.js';
import { cancel, close, poll, polls, unvote, vote } from './coop/poll.js';
import { link } from './coop/link.js';
import { agenda, minutes } from './coop/agenda.js';
import { meeting, meetingCancel, meetingMove, meetings } from './coop/meetings.js';
import { report as agmReport, status } from './coop/status.js';
import { change, report, resolve, update } from './service/deficiency.js';
import { grace } from './service/grace.js';
import { history } from './service/history.js';
import { confirm } from './service/confirm.js';
import { unwatch, watch, watching } from './service/watch.js';
import { request, withdraw } from './service/request.js';
import { helpCommand } from './help.js';
import { assess } from './service/assess.js';
import { info } from './service/info.js';
import { level } from './service/level.js';
import { listServices } from './service/list.js';
import { maintainer } from './service/maintainer.js';
import { propose } from './service/propose.js';
import { retire } from './service/retire.js';
import { set } from './service/set.js';
import { CommandTable } from './table.js';

export function buildCommandTable(): CommandTable {
  return new CommandTable([
    helpCommand('service'),
    propose,
    listServices,
    level,
    info,
    set,
    maintainer,
    assess,
    request,
    withdraw,
    report,
    resolve,
    change,
    update,
    grace,
    retire,
    watch,
    unwatch,
    watching,
    history,
    confirm,
    helpCommand('coop'),
    poll,
    vote,
    unvote,
    polls,
    close,
    cancel,
    link,
    meeting,
    meetingMove,
    meetingCancel,
    meetings,
    agenda,
    minutes,
    requirements,
    status,
    agmReport,
    member,
    members,
    board,
  ]);
}
