import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Logger } from '../../core/logger.js';

export interface BotCredentials {
  readonly appId: string;
  readonly appPassword?: string;
  readonly appType: string;
  readonly tenantId?: string;
}

/**
 * Where botbuilder checks incoming tokens and gets the bot's own, when not Microsoft's public cloud (tests run a
 * fake Entra ID and Bot Framework key server on loopback).
 */
export interface BotFrameworkEndpoints {
  /** The channel's OpenID metadata (in production `https://login.botframework.com/v1/.well-known/openidconfiguration`). */
  readonly openIdMetadataUrl: string;
  /** Makes the credentials for the bot's replies (botbuilder's own seam; default: MSAL with the app secret). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

/** botbuilder's authentication for the bot: none in local mode, the app registration otherwise. */
export function botFrameworkAuthentication(
  credentials?: BotCredentials,
  endpoints?: BotFrameworkEndpoints,
): ConfigurationBotFrameworkAuthentication {
  if (!credentials) return new ConfigurationBotFrameworkAuthentication({});
  const app = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
  };
  if (!endpoints) return new ConfigurationBotFrameworkAuthentication(app);
  // Once one endpoint is given botbuilder takes none of the public cloud's defaults: give them all, with the
  // key metadata moved.
  return new ConfigurationBotFrameworkAuthentication(
    {
      ...app,
      ChannelService: undefined,
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
      CallerId: 'urn:botframework:azure',
    },
    endpoints.credentialsFactory,
  );
}

/** Any failure to authenticate a request: the caller answers 401. */
export class UnauthorizedRequest extends Error {
  override readonly name = 'UnauthorizedRequest';
}

/**
 * Authenticates an incoming activity. Every failure is an `UnauthorizedRequest` (botbuilder throws plain
 * `JsonWebTokenError`s for a bad signature under a known key id, which would otherwise become a 500), and
 * botbuilder's own console output while checking (the public key, or a whole stack for an expired token) goes
 * to the log as one line without content.
 */
export async function authenticateActivity(
  auth: BotFrameworkAuthentication,
  activity: Activity,
  authHeader: string,
  logger: Logger,
): Promise<AuthenticateRequestResult> {
  try {
    return await withConsoleQuiet(() => auth.authenticateRequest(activity, authHeader), logger);
  } catch (err) {
    throw new UnauthorizedRequest('Bot Framework authentication failed', { cause: err });
  }
}

let quietCalls = 0;
let originalError: typeof console.error | undefined;

/**
 * Runs `fn` with `console.error` swapped for a log line without content. Counted, so overlapping requests
 * restore the original only when the last one is done.
 */
async function withConsoleQuiet<T>(fn: () => Promise<T>, logger: Logger): Promise<T> {
  if (quietCalls++ === 0) {
    originalError = console.error;
    console.error = (...args: unknown[]) =>
      logger.debug('teams.auth_library_output', {
        kind: args[0] instanceof Error ? args[0].name : typeof args[0],
      });
  }
  try {
    return await fn();
  } finally {
    if (--quietCalls === 0 && originalError) {
      console.error = originalError;
      originalError = undefined;
    }
  }
}
