// Defined in the spec stage (its semantic checks need them) and re-exported for the stages after it.
export { combosOfRow, comboKey } from '../spec/combos';
