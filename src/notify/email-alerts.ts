import { isIP } from 'node:net';
import { createTransport, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import type { Alert } from '../core/cases/alerts.js';
import { AlertError } from './alert-error.js';

export type EmailAlert = Extract<Alert, { channel: 'email' }>;

/** SMTP server and sender, as `src/config.ts` read them from VANGNET_SMTP_URL and VANGNET_ALERT_FROM. */
export interface SmtpSettings {
  readonly host: string;
  readonly port?: number;
  /** smtps:// (TLS from the start); smtp:// upgrades with STARTTLS. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  /** `vangnet@school.nl` or `Vangnet <vangnet@school.nl>`. */
  readonly from: string;
}

/**
 * A send must end well within the outbox claim (30 s) so no other instance sends the same alert meanwhile, and a
 * dead server must not hold up the chat notices queued behind it for long.
 */
export const SMTP_TIMEOUT_MS = 15_000;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * E-mail alerts through SMTP (nodemailer): plain text, one message per person. smtps:// speaks TLS from the start;
 * smtp:// must upgrade with STARTTLS unless the server is on loopback (a local relay), so credentials never cross a
 * network in the clear.
 */
export class EmailAlertSender {
  private readonly transport: Transporter<SMTPSentMessageInfo>;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly timeoutMs = SMTP_TIMEOUT_MS,
  ) {
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: !settings.secure && !isLoopback(settings.host),
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Nothing in an alert is a file or a URL to fetch; nodemailer must never read one.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(alert: EmailAlert): Promise<void> {
    let info: SMTPSentMessageInfo;
    try {
      info = await this.transport.sendMail({
        from: this.settings.from,
        to: alert.to,
        subject: alert.subject,
        text: alert.text,
        // Out-of-office replies and auto-forwards should leave it alone (RFC 3834).
        headers: { 'Auto-Submitted': 'auto-generated' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new AlertError(`smtp_${typeof code === 'string' ? code : 'error'}`, 'SMTP send failed', {
        cause: err,
      });
    }
    if (info.rejected?.length) throw new AlertError('smtp_rejected', 'the SMTP server refused the recipient');
  }

  close(): void {
    this.transport.close();
  }
}
