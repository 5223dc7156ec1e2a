import assert from 'node:assert/strict';
import type { DeviceInfo } from '../../harness/backends/types';
import { bf16ScaleTruncationFor, referenceOptionsFor } from '../../harness/run/reference-options';
import { realSpec } from '../helpers/spec';

const device = (backend: string, versions: Record<string, string>, simulated: boolean): DeviceInfo => ({
  backend, product: null, socName: null, device: 'x', simulated, versions, enforcesContract: true, notes: [],
});

describe('run: reference options from product facts, versions and pins', () => {
  it('docs/semantics.md §2.2: truncation only where the version names 6.0.rc1/rc2; unknown real versions admit both', () => {
    assert.equal(bf16ScaleTruncationFor(device('torch-npu', { torch_npu: '6.0.rc1' }, false)), true);
    assert.equal(bf16ScaleTruncationFor(device('torch-npu', { torch_npu: '2.1.0.post3', cann: '8.0.RC2' }, false)), 'either');
    assert.equal(bf16ScaleTruncationFor(device('torch-npu', { torch_npu: 'standin' }, true)), false);
    assert.equal(bf16ScaleTruncationFor(device('onnxruntime', {}, true)), false);
    assert.equal(bf16ScaleTruncationFor(device('torch-npu', { cann: '6.0.rc10' }, false)), 'either');
  });

  it('docs/semantics.md §2.9: the product fact decides fp16 overflow unless pinned', () => {
    const a2 = realSpec().products.find((p) => p.id === 'atlas-a2')!;
    const p310 = realSpec().products.find((p) => p.id === 'atlas-inference')!;
    const d = device('onnxruntime', {}, true);
    assert.equal(referenceOptionsFor(a2, d, {}).fp16Overflow, 'either');
    assert.equal(referenceOptionsFor(p310, d, {}).fp16Overflow, 'saturate');
    assert.equal(referenceOptionsFor(a2, d, { fp16Overflow: 'inf' }).fp16Overflow, 'inf');
  });
});
