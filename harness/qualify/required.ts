import type { Case } from '../expand/case';

/** The tag of cases whose inputs the doc leaves undefined: run and reported, never required. */
export const NOT_REQUIRED_TAG = 'undefined-input';

/** The cases a qualification must pass, and those it runs without requiring, as id lists in expansion order. */
export interface RequiredSet {
  required: string[];
  notRequired: string[];
}

/**
 * Every case of the product's full profile is required except those tagged `undefined-input`
 * (the kernel may do anything there, so no answer can fail it). Like Vulkan's mustpass list, the
 * result is written into the bundle (required.txt) so a verifier need not trust the run's own counts.
 */
export function requiredCases(fullProfile: Case[]): RequiredSet {
  const required: string[] = [];
  const notRequired: string[] = [];
  for (const c of fullProfile) (c.tags.includes(NOT_REQUIRED_TAG) ? notRequired : required).push(c.id);
  return { required, notRequired };
}

/** required.txt: one id per line; ids hold no line breaks, so the format needs no quoting. */
export function formatRequiredList(ids: string[]): string {
  return ids.map((id) => id + '\n').join('');
}

export function parseRequiredList(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
