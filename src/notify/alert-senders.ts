import type { AlertsConfig } from '../config.js';
import type { Alert, AlertChannels, AlertSender } from '../core/cases/alerts.js';
import { AlertError } from './alert-error.js';
import { EmailAlertSender } from './email-alerts.js';
import { WebhookAlertSender } from './webhook-alerts.js';

/** The configured alert channels behind one `AlertSender`. */
export class ConfiguredAlerts implements AlertSender {
  readonly channels: AlertChannels;
  private readonly email?: EmailAlertSender;
  private readonly webhook?: WebhookAlertSender;

  /** `now` stamps webhook signatures: the wall clock, which is what receivers check them against. */
  constructor(config: AlertsConfig, now: () => Date = () => new Date()) {
    this.email = config.email && new EmailAlertSender(config.email);
    this.webhook = config.webhook && new WebhookAlertSender(config.webhook, now);
    this.channels = { email: Boolean(this.email), webhook: Boolean(this.webhook) };
  }

  /** Undefined when neither channel is configured: alerts are off. */
  static fromConfig(config: AlertsConfig, now?: () => Date): ConfiguredAlerts | undefined {
    return config.email || config.webhook ? new ConfiguredAlerts(config, now) : undefined;
  }

  async send(alert: Alert): Promise<void> {
    if (alert.channel === 'email') {
      if (!this.email) throw new AlertError('email_off', 'e-mail alerts are not configured');
      return this.email.send(alert);
    }
    if (!this.webhook) throw new AlertError('webhook_off', 'the alert webhook is not configured');
    return this.webhook.send(alert);
  }

  close(): void {
    this.email?.close();
  }
}
