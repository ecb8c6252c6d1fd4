// A WebSocket echo server on Node's ws library, for the conformance suite.
//
// Usage: node echo-server.js WS_MODULE
//
// WS_MODULE is where the ws package is (Debian's node-ws: /usr/share/nodejs/ws). Listens on
// 127.0.0.1 on a free port with permessage-deflate accepted, messages up to 16 MiB, echoes every
// text and binary message, prints the port on one line, and runs until stopped.
'use strict';
const WebSocket = require(process.argv[2]);

const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 16 << 20 });
server.on('listening', () => console.log(server.address().port));
server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
