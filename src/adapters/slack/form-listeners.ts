import type { App, ViewSubmitAction } from '@slack/bolt';
import { text } from '../../core/model/card';
import type { IncomingAction } from '../../core/model/incoming';
import type { PrivateReply } from '../../core/ports/chat-platform';
import { PlatformLimitError } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import { decodeFormOrigin, encodeFormOrigin, type FormOrigin } from './form-origin';
import type { ListenerDeps } from './listener-deps';
import { FORM_CALLBACK_ID, formValues, outdatedFormView, renderFormView } from './render-form';

/**
 * Opens the form a click asks for (deny with a reason, edit) as a modal. Runs after the
 * click's ack; the trigger_id it needs lasts about 3 s, so nothing slow comes between the
 * core's answer and views.open. When the core refuses, it has already answered privately.
 */
export async function openFormModal(deps: ListenerDeps, click: FormOrigin, action: IncomingAction, triggerId: string, reply: PrivateReply, log: Logger): Promise<void> {
  const form = await deps.core.openForm(action, reply);
  if (!form) return;
  try {
    await deps.openModal(triggerId, renderFormView(form, encodeFormOrigin(click)));
  } catch (err) {
    log.warn({ err }, 'could not open a form');
    await reply(text(err instanceof PlatformLimitError ? `That form does not fit in Slack (${err.message}).` : 'Slack did not open the form; please click the button again.'));
  }
}

/**
 * Takes form submissions: acks at once (which closes the modal), then hands the click back
 * to the core with the form's values. The submitter comes from the signed payload, the
 * rest of the click from the metadata the modal was opened with; private answers go to the
 * submitter as ephemeral messages where the card is.
 */
export function registerFormSubmissions(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>({ callback_id: FORM_CALLBACK_ID, type: 'view_submission' }, async ({ ack, body, view }) => {
    const log = deps.log.child({ team: body.team?.id, userId: body.user.id, viewId: view.id });
    const origin = decodeFormOrigin(view.private_metadata);
    if (!origin) {
      log.warn('form submission with unreadable metadata answered as out of date');
      await ack({ response_action: 'update', view: outdatedFormView() });
      return;
    }
    await ack();
    const reply: PrivateReply = (message) => deps.ephemeral(origin.replyWhere, body.user.id, message);
    deps.work.start(log.child({ actionId: origin.action.actionId, ts: origin.action.messageId }), 'form submission', async () => {
      const user = await deps.directory.person(body.user.id, body.user.name);
      await deps.core.handleAction({ ...origin.action, user, form: formValues(view.state) }, reply);
    });
  });
}
