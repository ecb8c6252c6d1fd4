// A WebSocket peer on Node's ws library: echoes, a ping, a close.
//
// Usage: node peer.js WS_MODULE URL CLOSING_URL [CA_PEM]
//
// WS_MODULE is where the ws package is (Debian's node-ws: /usr/share/nodejs/ws). Sends a small
// and a large text and binary message with permessage-deflate and checks that each comes back
// unchanged, pings and waits for the pong, then closes with 4000 "peer says bye"; then connects to
// CLOSING_URL, where the server closes. Prints one line per step (the negotiated extensions first,
// the server's close code and [reason], then the closing server's) and exits with 0; on any
// failure it prints the reason to stderr and exits with 1.
'use strict';
const fs = require('fs');
const [wsModule, url, closingUrl, ca] = process.argv.slice(2);
const WebSocket = require(wsModule);

const LARGE = 200 * 1024;
const CLOSE_CODE = 4000;
const CLOSE_REASON = 'peer says bye';
const PING = Buffer.from('ping from the peer');

function largeText() {
  const parts = [];
  let total = 0;
  for (let i = 0; total < LARGE; i++) {
    const line = `line ${i}: the quick brown fox jumps over the lazy dog \u00fc\n`;
    parts.push(line);
    total += line.length;
  }
  return parts.join('').substring(0, LARGE);
}

function largeBinary() {
  const out = Buffer.alloc(LARGE);
  let x = 2463534242 | 0;
  for (let i = 0; i < LARGE; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const payloads = [['text', 'h\u00e9llo, Atoll \u2713'], ['text', largeText()],
  ['binary', Buffer.from([...Array(256).keys()])], ['binary', largeBinary()]];

function fail(reason) {
  process.stderr.write(`node ws ${require(wsModule + '/package.json').version} failed: ${reason}\n`);
  process.exit(1);
}

setTimeout(() => fail('not done within 60 s'), 60000).unref();

const ws = new WebSocket(url, {
  perMessageDeflate: true,
  ca: ca ? fs.readFileSync(ca) : undefined,
  handshakeTimeout: 10000,
  maxPayload: 1 << 20,
});
const waiting = [];
const arrived = [];
function next(event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 10 s`)), 10000);
    const take = (e) => { clearTimeout(timer); e.event === event ? resolve(e) : reject(new Error(`${e.event} instead of ${event}`)); };
    arrived.length ? take(arrived.shift()) : waiting.push(take);
  });
}
function deliver(e) {
  waiting.length ? waiting.shift()(e) : arrived.push(e);
}
ws.on('message', (data, isBinary) => deliver({ event: 'message', data, isBinary }));
ws.on('pong', (data) => deliver({ event: 'pong', data }));
ws.on('close', (code, reason) => deliver({ event: 'close', code, reason: reason.toString() }));
ws.on('error', (e) => fail(`${e.message}`));
let extensions = '';
ws.on('upgrade', (response) => { extensions = response.headers['sec-websocket-extensions'] || ''; });
ws.on('open', async () => {
  try {
    console.log('extensions', extensions);
    for (const [kind, data] of payloads) {
      ws.send(data);
      const echo = await next('message');
      const same = kind === 'text'
        ? !echo.isBinary && echo.data.toString('utf8') === data
        : echo.isBinary && Buffer.compare(echo.data, data) === 0;
      if (!same) {
        throw new Error(`the echo of a ${kind} message of ${data.length} differs: `
          + `${echo.isBinary ? 'binary' : 'text'} of ${echo.data.length} bytes`);
      }
      console.log('echo', kind, data.length);
    }
    ws.ping(PING);
    const pong = await next('pong');
    if (Buffer.compare(pong.data, PING) !== 0) {
      throw new Error(`the pong carries ${pong.data.length} bytes, not the ping's`);
    }
    console.log('pong', PING.length);
    ws.close(CLOSE_CODE, CLOSE_REASON);
    const close = await next('close');
    console.log(`close ${close.code} [${close.reason}]`);
    const closing = new WebSocket(closingUrl, { ca: ca ? fs.readFileSync(ca) : undefined, handshakeTimeout: 10000 });
    closing.on('error', (e) => fail(`${e.message}`));
    const [code, reason] = await new Promise((resolve) => {
      closing.on('message', () => fail('a message instead of the server\'s close'));
      closing.on('close', (c, r) => resolve([c, r.toString()]));
    });
    console.log(`closed by the server ${code} [${reason}]`);
  } catch (e) {
    fail(e.message);
  }
});
