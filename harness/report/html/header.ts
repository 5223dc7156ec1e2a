import type { OutcomeStatus } from '../../judge/outcome';
import { OUTCOME_STATUSES } from '../../judge/outcome';
import { runSpecs, type RunEnvironment } from '../../run/environment';
import { recordedSpecs } from '../specs';
import type { ResultRecord } from '../../run/record';
import { environmentsOf } from '../release';
import { esc } from './escape';
import { countStatuses, isUnexpected } from './model';
import { STATUS_COLOURS } from './styles';

/** The run's verdict: every outcome as expected, or how many are not. Qualification is `qualify`'s to say. */
export interface Verdict { ok: boolean; unexpected: number; total: number; simulated: boolean; text: string }

export function verdictOf(records: ResultRecord[], env: RunEnvironment | null): Verdict {
  const unexpected = records.filter(isUnexpected).length;
  const simulated = (env?.simulated ?? false) || records.some((r) => r.simulated);
  const ok = unexpected === 0 && records.length > 0;
  const text = records.length === 0 ? 'no results'
    : ok ? `all ${records.length} outcome(s) as expected` : `${unexpected} unexpected outcome(s) of ${records.length}`;
  return { ok, unexpected, total: records.length, simulated, text };
}

/** Badges with counts per outcome; clickable where the page's script filters the case list. */
export function statusBadges(counts: Record<OutcomeStatus, number>, clickable: boolean): string {
  return OUTCOME_STATUSES.filter((s) => counts[s] > 0).map((s) => {
    const body = `${esc(STATUS_COLOURS[s].label)}: <b>${counts[s]}</b>`;
    return clickable
      ? `<button type="button" class="badge st-${s}" data-filter-status="${s}" data-count="${counts[s]}">${body}</button>`
      : `<span class="badge st-${s}">${body}</span>`;
  }).join('');
}

/** The environment stamp, the simulation banner and the verdict. */
export function renderHeader(records: ResultRecord[], env: RunEnvironment | null, verdict: Verdict, title?: string): string {
  const stamp: [string, string][] = [];
  const backends = env ? [env.backend] : [...new Set(records.map((r) => r.backend))];
  stamp.push(['backend', backends.join(', ') + (env?.backendWhy ? ` (${env.backendWhy})` : '')]);
  const products = env ? [env.product] : [...new Set(records.map((r) => r.product))];
  stamp.push(['product', products.join(', ') + (env?.productWhy ? ` (${env.productWhy})` : '')]);
  if (env) {
    for (const d of env.devices) {
      stamp.push([`device ${d.device}`, `${d.backend} on ${d.device}; SoC ${d.socName ?? 'unknown'}${d.simulated ? '; simulated' : ''}${d.enforcesContract ? '' : '; enforces no contract'}`]);
      const versions = Object.entries(d.versions).map(([k, v]) => `${k} ${v}`).join(', ');
      if (versions) stamp.push(['versions', versions]);
    }
    // every spec of the run, each by its id where there are several
    const specs = recordedSpecs(env);
    if (specs.length <= 1) stamp.push(['spec', `${env.spec.file} sha256 ${env.spec.hash}`]);
    else for (const s of specs) stamp.push([`spec ${s.id}`, `${s.file} sha256 ${s.hash}`]);
    stamp.push(['harness', `a8w8 ${env.harness.version}, node ${env.harness.node}`]);
    stamp.push(['profile / seed', `${env.profile} / ${env.seed}`]);
    stamp.push(['reference', `${env.reference.impl}${env.reference.engine ? ` (${env.reference.engine})` : ''}`]);
    stamp.push(['run', `${env.startedAt} \u2192 ${env.finishedAt ?? 'unfinished'}`]);
    const perProduct = environmentsOf(env);
    // a release of several products: each product's own run, as its run.json recorded it
    if (perProduct.length > 1) {
      for (const e of perProduct) {
        stamp.push([`run of ${e.product}`, `${e.backend} on ${e.devices.map((d) => `${d.device} (SoC ${d.socName ?? 'unknown'})`).join(', ')}${e.simulated ? ', simulated' : ''}; `
          + `spec ${runSpecs(e).map((s) => `${s.file} ${s.hash.slice(0, 12)}`).join(', ')}; profile ${e.profile}, seed ${e.seed}; ${e.startedAt} \u2192 ${e.finishedAt ?? 'unfinished'}`
          + `${e.hostPeak ? `; host peak ${e.hostPeak.gops.toFixed(0)} GOPS (${e.hostPeak.cpu})` : ''}`]);
      }
    }
  } else {
    stamp.push(['device', [...new Set(records.map((r) => r.device))].join(', ')]);
    stamp.push(['environment', 'no run.json: backend and device from the records only']);
  }
  const banner = verdict.simulated
    ? '<div class="banner-sim" id="simulated-banner" role="alert">SIMULATED \u2014 not an NPU qualification. These results come from a stand-in for the kernel, not the real kernel on an Ascend NPU.</div>'
    : '';
  return `<header class="top">
<h1>a8w8 conformance report${title ? `: <span id="report-title">${esc(title)}</span>` : ''}</h1>
${banner}
<div class="verdict ${verdict.ok ? 'ok' : 'bad'}" id="verdict">${esc(verdict.text)}</div>
<div class="badges" id="totals">${statusBadges(countStatuses(records), true)}</div>
<table class="stamp" id="env-stamp">${stamp.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<nav class="toc"><a href="#matrix">Qualification matrix</a><a href="#divergences">Divergences</a><a href="#cases">Failing cases</a><a href="#coverage">Contract coverage</a><a href="#performance">Performance</a></nav>
</header>`;
}
