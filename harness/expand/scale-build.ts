/** How a case builds its int64 scale: npu_trans_quant_param's round_mode and whether the offset is packed in. */
export interface ScaleBuild {
  roundMode: 0 | 1;
  packOffset: boolean;
}

/**
 * The one place that says how an int64 scale is built: as the modules convert an fp32 scale, with
 * round_mode 0 (fp19 truncation) and the offset packed into bits 37-45 whenever the case has one
 * (docs/semantics.md §2.2, §2.3). Call variants that hand-build the scale with round_mode 1 pass it.
 */
export function scaleBuildOf(hasOffset: boolean, roundMode: 0 | 1 = 0): ScaleBuild {
  return { roundMode, packOffset: hasOffset };
}
