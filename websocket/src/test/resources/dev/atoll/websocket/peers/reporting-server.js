// A WebSocket echo server on Node's ws library that reports what its client did, for the tests
// of Atoll's client.
//
// Usage: node reporting-server.js WS_MODULE on|off [CERT_PEM KEY_PEM]
//
// WS_MODULE is where the ws package is (Debian's node-ws: /usr/share/nodejs/ws). Listens on
// 127.0.0.1 on a free port, with perMessageDeflate on or off, over TLS (https.createServer) with
// that certificate chain and key when given. Prints the port on one line, then for each
// connection one line per step: the Sec-WebSocket-Extensions its response named
// ("extensions ..."), "echo text|binary LENGTH" for each message it echoes (a text's length in
// characters), and the client's close as "close CODE [REASON]". Runs until stopped.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const [wsModule, deflate, cert, key] = process.argv.slice(2);
const WebSocket = require(wsModule);

if (deflate !== 'on' && deflate !== 'off') {
  process.stderr.write('usage: node reporting-server.js WS_MODULE on|off [CERT_PEM KEY_PEM]\n');
  process.exit(2);
}
const server = cert
  ? https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) })
  : http.createServer();
const wss = new WebSocket.Server({ server, perMessageDeflate: deflate === 'on', maxPayload: 16 << 20 });
wss.on('headers', (headers) => {
  const line = headers.find((h) => h.toLowerCase().startsWith('sec-websocket-extensions:'));
  console.log('extensions', line ? line.substring(line.indexOf(':') + 1).trim() : '');
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
    console.log('echo', isBinary ? 'binary' : 'text', isBinary ? data.length : data.toString('utf8').length);
  });
  ws.on('close', (code, reason) => console.log(`close ${code} [${reason.toString()}]`));
  ws.on('error', (e) => console.log(`error ${e.message}`));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
