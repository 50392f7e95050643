import type { Next, Request, Response } from 'restify';

/** Host names a browser uses for this machine. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header values that name this server on loopback: each loopback name with the port. */
export function loopbackHosts(port: number): ReadonlySet<string> {
  const hosts = LOOPBACK_NAMES.map((name) => `${name}:${port}`);
  // Browsers leave out the default port.
  if (port === 80) hosts.push(...LOOPBACK_NAMES);
  return new Set(hosts);
}

/**
 * Local mode only: refuses requests whose Host header is not a loopback name with our port. A web page on another
 * site can point its own name at 127.0.0.1 (DNS rebinding) and then read the local chat as "same origin"; the
 * browser still sends that site's name as Host, which this refuses with 421.
 */
export function loopbackHostGuard(port: () => number) {
  return (req: Request, res: Response, next: Next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (loopbackHosts(port()).has(host)) return next();
    res.setHeader('connection', 'close');
    res.json(421, {
      code: 'MisdirectedRequest',
      message: 'This server only answers on its loopback address',
    });
    next(false);
  };
}
