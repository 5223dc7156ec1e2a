import type { Case, ProductId } from '../expand/case';
import type { CaseInputs, Tensor } from '../data/tensor';

/** What a backend says about the device it opened (stamped into every result and bundle). */
export interface DeviceInfo {
  /** backend name, e.g. `torch-npu`, `onnxruntime`, or the plugin's own */
  backend: string;
  /** the Atlas product the device is, or null if the backend cannot tell (then --product decides) */
  product: ProductId | null;
  /** SoC name as get_device_name() returns it, or a CPU model for CPU backends */
  socName: string | null;
  /** device label, e.g. `npu:0`, `cpu` */
  device: string;
  /** true for anything that is not the real kernel on a real NPU: such runs never count as qualification */
  simulated: boolean;
  /** library versions: torch, torch_npu, cann, driver, onnxruntime, python, ... */
  versions: Record<string, string>;
  /** whether the backend enforces the contract (rejects what the tables reject); onnxruntime does not */
  enforcesContract: boolean;
  /** free-form notes (how the interpreter was found, why graph mode is unavailable, ...) */
  notes: string[];
}

/** Device timings for performance cases, in microseconds. */
export interface DeviceTimings {
  repeats: number;
  medianUs: number;
  p10Us: number;
  p90Us: number;
  /** a float matmul of the same shape, where the backend measured one */
  floatBaseline?: { dtype: string; medianUs: number; p10Us: number; p90Us: number; label: string };
}

/** The raw result of running one case: what the kernel did, not a verdict (judging is separate). */
export type BackendRun =
  | {
      status: 'ok';
      /** the output of the first run */
      output: Tensor;
      /** outputs of further runs when case.repeat > 1 (must be bit-identical to `output`) */
      repeats?: Tensor[];
      timings?: DeviceTimings;
    }
  | {
      status: 'rejected';
      /** the exception's type, e.g. RuntimeError, ValueError */
      errorType: string;
      message: string;
      /** parameter errors (161002, EZ1001, ValueError) vs inner errors (EZ9999, E69999, 507xxx) */
      errorClass: 'parameter' | 'inner' | 'unknown';
    }
  | { status: 'skip'; reason: string };

/** Options every backend's open() receives. */
export interface OpenOptions {
  /** device index for device backends */
  device?: number;
  /** per-case timeout the runner enforces, ms; backends with workers use it to kill a hung one */
  timeoutMs?: number;
  /** free-form backend options from the command line (--backend-opt key=value) */
  options?: Record<string, string>;
  /**
   * the spec's products with their SoC names: a backend that reads a SoC name maps it to a product
   * through these (the spec is the one list of names); absent, it uses the default spec's
   */
  products?: readonly SpecProductSocs[];
}

/** What a backend needs of a spec product to recognise its device. */
export interface SpecProductSocs {
  id: ProductId;
  title: string;
  socNames: readonly string[];
}

/**
 * The interface a kernel under test implements (documented in the README for plugin authors).
 * A plugin is any CommonJS module exporting `createBackend(): Backend` (or a default export of it).
 */
export interface Backend {
  readonly name: string;
  /** opens the device; called once before any run */
  open(opts: OpenOptions): Promise<DeviceInfo>;
  /** runs one case; a crash or hang is thrown (or left to the runner's timeout), never swallowed */
  run(c: Case, inputs: CaseInputs, signal: AbortSignal): Promise<BackendRun>;
  /** releases the device and any worker */
  close(): Promise<void>;
}
