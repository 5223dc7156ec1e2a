'use strict';
// An example plugin backend (see README, "Writing a backend"): it "runs" each case on the TypeScript
// twin of the reference, so it passes every accepted case. Copy it and call your own kernel in run().
// Load it with: npx a8w8 run --backend ./examples/plugin-twin.js
const path = require('path');
const dist = path.join(__dirname, '..', 'dist', 'harness');
const { computeReference } = require(path.join(dist, 'reference', 'reference.js'));
const { getReferenceImpl } = require(path.join(dist, 'reference', 'index.js'));

function createBackend() {
  return {
    name: 'plugin-twin',
    async open() {
      return {
        backend: 'plugin-twin', product: null, socName: null, device: 'cpu', simulated: true,
        versions: { node: process.version }, enforcesContract: false,
        notes: ['example plugin: the TypeScript twin stands in for a kernel'],
      };
    },
    async run(c, inputs) {
      // A backend that enforces no contract skips what the doc rejects, with the reason.
      if (c.expect === 'reject') return { status: 'skip', reason: 'plugin-twin enforces no contract' };
      const ref = computeReference(c, inputs, { fp16Overflow: 'inf', bf16ScaleTruncation: false }, getReferenceImpl('twin'));
      // c.repeat > 1 asks for that many runs, every one returned: the harness checks they are identical.
      const repeats = [];
      for (let i = 1; i < c.repeat; i++) repeats.push(ref.expected);
      return { status: 'ok', output: ref.expected, ...(repeats.length ? { repeats } : {}) };
    },
    async close() {},
  };
}

module.exports = { createBackend };
