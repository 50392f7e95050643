import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackTestBed } from '../helpers/slack-workspace.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET_TEXT = 'Jantje-de-Vries-geheim';

/** A raw HTTP request with any Host header, or none (fetch does not let a caller set Host). */
function rawRequest(
  url: string,
  opts: { method?: string; path: string; host: string | null; body?: string },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        setHost: false,
        headers: opts.host === null ? {} : { host: opts.host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A multipart upload with one file part, as a browser form or curl -F sends it. */
function multipart(fileContent: string): { type: string; body: string } {
  const boundary = '----vangnet-test-boundary';
  const body = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="upload.txt"',
    'Content-Type: text/plain',
    '',
    fileContent,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { type: `multipart/form-data; boundary=${boundary}`, body };
}

/** Resolves with everything a socket received once the server closes it. */
function untilClosed(socket: ReturnType<typeof connect>): Promise<string> {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (c) => {
    received += c;
  });
  return new Promise((resolve) => socket.on('close', () => resolve(received)));
}

describe('server edges: bodies, hosts, error answers and timeouts', function () {
  this.timeout(20000);

  describe('local mode', () => {
    let app: TestApp;
    let uploads: string;
    const realTmp = process.env.TMPDIR;
    before(async () => {
      app = await startTestApp(
        { MAX_BODY_BYTES: '4096' },
        { httpTimeouts: { headersMs: 1000, requestMs: 2000, bodyMs: 400, idleMs: 400, keepAliveMs: 400 } },
      );
    });
    beforeEach(async () => {
      // An upload parser writes to os.tmpdir(), which follows TMPDIR: point it at an empty folder to watch.
      uploads = await mkdtemp(join(tmpdir(), 'uploads-'));
      process.env.TMPDIR = uploads;
    });
    afterEach(async () => {
      if (realTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = realTmp;
      await rm(uploads, { recursive: true, force: true });
    });
    after(() => app.cleanup());

    it('refuses a multipart upload with 415 and writes nothing to TMPDIR', async () => {
      for (const path of ['/api/messages', '/v3/directline/conversations']) {
        const { type, body } = multipart(`${SECRET_TEXT}\n`.repeat(50));
        const res = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        assert.equal(res.status, 415, path);
        assert.ok(!(await res.text()).includes(SECRET_TEXT));
      }
      assert.deepEqual(await readdir(uploads), [], 'no temporary files');
    });

    it('refuses an oversized body with 413, with or without Content-Length', async () => {
      const big = JSON.stringify({ type: 'message', text: 'x'.repeat(10_000) });
      const declared = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      assert.equal(declared.status, 413);
      // A streamed body has no Content-Length: the limit is applied while reading.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const chunked = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(chunked.status, 413);
      assert.deepEqual(await readdir(uploads), []);
    });

    it('answers only requests that name a loopback host with its port (no DNS rebinding)', async () => {
      const { port } = new URL(app.url);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
        assert.equal((await rawRequest(app.url, { path: '/healthz', host })).status, 200, host);
      }
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`]) {
        const page = await rawRequest(app.url, { path: '/', host });
        assert.equal(page.status, 421, `GET / with Host "${host}"`);
        assert.ok(!page.body.includes('<html'), 'no chat page');
        const dl = await rawRequest(app.url, {
          method: 'POST',
          path: '/v3/directline/conversations',
          host,
        });
        assert.equal(dl.status, 421, `Direct Line with Host "${host}"`);
      }
      // Without a Host header Node itself refuses the request (HTTP/1.1 requires one).
      assert.equal((await rawRequest(app.url, { path: '/', host: null })).status, 400);
    });

    it('error answers never quote the request', async () => {
      const malformed = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `${SECRET_TEXT} is geen JSON`,
      });
      assert.equal(malformed.status, 400);
      const unknown = await fetch(`${app.url}/${SECRET_TEXT}`);
      assert.equal(unknown.status, 404);
      const wrongMethod = await fetch(`${app.url}/healthz?q=${SECRET_TEXT}`, { method: 'DELETE' });
      assert.ok(wrongMethod.status >= 400 && wrongMethod.status < 500);
      for (const res of [malformed, unknown, wrongMethod]) {
        const text = await res.text();
        assert.ok(!text.includes(SECRET_TEXT) && !text.includes('geen JSON'), text);
      }
    });

    it('cuts off a body that trickles in and closes an idle socket', async () => {
      const { port } = new URL(app.url);
      const slow = connect(Number(port), '127.0.0.1');
      const slowDone = untilClosed(slow);
      slow.write(
        `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
      );
      // One byte at a time, for as long as the socket stays open.
      const drip = setInterval(() => slow.writable && slow.write(' '), 50);
      const answer = await slowDone;
      clearInterval(drip);
      assert.match(answer, /^HTTP\/1\.1 408/);

      const idle = connect(Number(port), '127.0.0.1');
      assert.equal(await untilClosed(idle), '', 'closed without an answer');
    });
  });

  describe('Slack-only server', () => {
    let bed: SlackTestBed;
    before(async () => {
      bed = await SlackTestBed.start();
    });
    after(() => bed.stop());

    it('takes form encoding on /slack/events only, and no multipart', async () => {
      const { type, body } = multipart(SECRET_TEXT);
      const res = await fetch(`${bed.app.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      assert.equal(res.status, 415);
      assert.ok(!(await res.text()).includes(SECRET_TEXT));
    });
  });
});
