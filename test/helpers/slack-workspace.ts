import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlackApi, findButton, type SlackCall, signedPost } from './fake-slack.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are loosely typed JSON; tests build them freely
type Json = any;

let seq = 0;
/** Slack gives every event an id and every interaction and command a trigger id (and Vangnet dedups on them). */
const nextId = (prefix: string) => `${prefix}${++seq}`;

/**
 * What Slack sends an app, signed with the app's signing secret: events, slash commands and button presses, as
 * people in a workspace cause them. Answers are read from the fake Web API (`FakeSlackApi`), including what is
 * posted to response_urls.
 */
export class SlackWorkspace {
  constructor(
    private readonly api: FakeSlackApi,
    /** The app's base URL (a function: a restarted app listens elsewhere). */
    private readonly appUrl: () => string,
    private readonly secret: string,
  ) {}

  /** An Events API delivery; the same `eventId` again (with `retryNum`) is what Slack does when it retries. */
  async event(event: Record<string, unknown>, opts: { eventId?: string; retryNum?: number } = {}) {
    const res = await signedPost(
      this.appUrl(),
      this.secret,
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: opts.eventId ?? nextId('Ev'),
        event_time: 1,
        event,
      }),
      'application/json',
      opts.retryNum
        ? { headers: { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } }
        : {},
    );
    assert.equal(res.status, 200);
    return res;
  }

  /** An interaction payload (form-encoded `payload=…`, as Slack posts it). */
  interaction(payload: Record<string, unknown>) {
    return signedPost(
      this.appUrl(),
      this.secret,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** `/vangnet <text>` typed by `user` in `channel`; resolves with the id of its response_url. */
  async command(text: string, channel: string, user = 'UTEACH'): Promise<string> {
    const responseUrl = nextId('cmd-');
    const res = await signedPost(
      this.appUrl(),
      this.secret,
      new URLSearchParams({
        command: '/vangnet',
        text,
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: channel,
        team_id: 'T1',
        trigger_id: nextId('trigger-'),
        response_url: this.api.responseUrl(responseUrl),
      }).toString(),
      'application/x-www-form-urlencoded',
    );
    assert.equal(res.status, 200);
    return responseUrl;
  }

  /** A direct message from `user` to the bot, in their DM with it (D + the user id without its U). */
  dm(text: string, user = 'UTEACH') {
    const channel = `D${user.replace(/^U/, '')}`;
    return this.event({ type: 'message', channel_type: 'im', channel, user, text, ts: nextId('9.') });
  }

  /** The first answer posted to a response_url (`after`: only calls from that position in the log on). */
  responded(responseUrl: string, after = 0): Promise<SlackCall> {
    return this.api.waitFor(
      (c) => c.method === 'respond' && c.responseUrl === responseUrl && this.api.calls.indexOf(c) >= after,
    );
  }

  /** The next message posted or updated with the bot token in `channel`. */
  posted(channel: string, after = 0): Promise<SlackCall> {
    return this.api.waitFor(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.args.channel === channel &&
        this.api.calls.indexOf(c) >= after,
    );
  }

  /**
   * `user` presses the button `label` on a message: one posted with the bot token, or one answered through a
   * response_url (`ephemeral`: an "only visible to you" message in `channel`, answered to `responseUrl`).
   */
  async press(
    user: string,
    msg: SlackCall,
    label: string,
    opts: {
      values?: Record<string, unknown>;
      ephemeral?: { channel: string; responseUrl: string };
      /** The response_url of an ordinary message (Slack sends one with every click). */
      responseUrl?: string;
    } = {},
  ): Promise<Record<string, unknown>> {
    const button = findButton(msg.args.blocks, label);
    assert.ok(button, `button "${label}"`);
    const channel = opts.ephemeral?.channel ?? msg.args.channel;
    const ts = opts.ephemeral ? nextId('1700000099.') : tsOf(msg);
    const payload = {
      type: 'block_actions',
      user: { id: user, name: user.toLowerCase() },
      team: { id: 'T1' },
      channel: { id: channel },
      message: { ts },
      container: {
        type: 'message',
        channel_id: channel,
        message_ts: ts,
        is_ephemeral: Boolean(opts.ephemeral),
      },
      trigger_id: nextId('trigger-'),
      ...((opts.ephemeral?.responseUrl ?? opts.responseUrl)
        ? { response_url: this.api.responseUrl(opts.ephemeral?.responseUrl ?? opts.responseUrl ?? '') }
        : {}),
      actions: [
        {
          type: 'button',
          action_id: button.action_id,
          value: button.value,
          block_id: 'b',
          action_ts: nextId('1700000000.5'),
        },
      ],
      state: { values: opts.values ?? {} },
    };
    const res = await this.interaction(payload);
    assert.equal(res.status, 200);
    // The payload as sent: sending it again is what Slack does when it delivers a click twice.
    return payload;
  }

  /** Submits a modal the app opened (views.open), with input values. */
  async submit(user: string, modal: SlackCall, values: Record<string, unknown>) {
    const res = await this.interaction({
      type: 'view_submission',
      user: { id: user, name: user.toLowerCase() },
      team: { id: 'T1' },
      trigger_id: nextId('trigger-'),
      view: {
        callback_id: modal.args.view.callback_id,
        private_metadata: modal.args.view.private_metadata,
        state: { values },
      },
    });
    assert.equal(res.status, 200);
  }
}

/** The ts of a posted or updated message. */
export function tsOf(msg: SlackCall): string {
  return String(msg.method === 'chat.update' ? msg.args.ts : msg.ts);
}

/** Values of a select input in a submitted view or pressed card (`state.values`). */
export function selected(id: string, value: string): Record<string, Json> {
  return { [id]: { [id]: { type: 'static_select', selected_option: { value } } } };
}

/** A school with an expert (aanspreekpunt pesten) and a lead (schoolleiding), both on Slack. */
export const SLACK_SCHOOL = `
school: { name: Slackschool, level: mbo, crisisContact: "010-2" }
people:
  - { id: expert, name: "E. Xpert", slack: UEXPERT }
  - { id: lead, name: "L. Eiding", slack: ULEAD }
roles:
  aanspreekpunt-pesten: { holders: [expert] }
  schoolleiding: { holders: [lead] }
admins: [lead]
`;

export const SLACK_SECRET = 'test-signing-secret';

/**
 * A Slack-only Vangnet (HTTP mode, a school configuration, its data in a temporary folder) against a fake Slack
 * Web API, with a workspace to act in. `restart()` starts a new process image on the same data.
 */
export class SlackTestBed {
  app!: TestApp;
  readonly slack: SlackWorkspace;

  private constructor(
    readonly api: FakeSlackApi,
    private readonly dir: string,
    private readonly options: TestAppOptions,
  ) {
    this.slack = new SlackWorkspace(api, () => this.app.url, SLACK_SECRET);
  }

  static async start(school = SLACK_SCHOOL, options: TestAppOptions = {}): Promise<SlackTestBed> {
    const dir = await mkdtemp(join(tmpdir(), 'slack-bed-'));
    await writeFile(join(dir, 'school.yml'), school);
    const bed = new SlackTestBed(await new FakeSlackApi().start(), dir, options);
    try {
      await bed.startApp();
    } catch (err) {
      await bed.api.stop();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return bed;
  }

  private async startApp() {
    this.app = await startTestApp(
      {
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: this.api.url,
        VANGNET_SCHOOL_CONFIG: join(this.dir, 'school.yml'),
      },
      { ...this.options, dataDir: join(this.dir, 'data') },
    );
  }

  /** Stops the app and starts it again on the same data: nothing kept in memory survives. */
  async restart(): Promise<void> {
    await this.app.cleanup();
    await this.startApp();
  }

  async stop(): Promise<void> {
    await this.app.cleanup();
    await this.api.stop();
    await rm(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/**
 * UTEACH reports online bullying of a pupil from the step card `first` (in their DM), answering every step;
 * resolves with the confirmation.
 */
export async function reportBullying(
  bed: { slack: SlackWorkspace; api: FakeSlackApi },
  first: SlackCall,
  description = 'Korte beschrijving van het incident.',
): Promise<SlackCall> {
  let msg = first;
  const steps: [string, Record<string, unknown>][] = [
    ['Nee', {}],
    [
      'Volgende',
      { value: { value: { type: 'radio_buttons', selected_option: { value: 'online-pesten' } } } },
    ],
    ['Volgende', { value: { value: { type: 'radio_buttons', selected_option: { value: 'pupil' } } } }],
    ['Volgende', { checked: { checked: { type: 'checkboxes', selected_options: [{ value: 'do-0' }] } } }],
    ['Volgende', { description: { description: { type: 'plain_text_input', value: description } } }],
    ['Versturen', {}],
  ];
  for (const [label, values] of steps) {
    const mark = bed.api.calls.length;
    await bed.slack.press('UTEACH', msg, label, { values });
    msg = await bed.slack.posted(first.args.channel, mark);
  }
  return msg;
}
