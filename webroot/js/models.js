// The "Agreement by model" panel: per model, the operators' verdicts, the share that agreed and the
// mean absolute error of risk scores (argus.model.metrics live, GET /api/v1/feedback/models to catch up).
// Rows are reused by model; the table only grows with the configured models.
import { $, setText, el, getJson } from './dom.js';
import { fmtInt, fmtTime, toMs } from './format.js';
import { agreementRows, fmtShare, fmtMae, disagreementTitle } from './agreement.js';

const body = $('agreement').tBodies[0];
const rows = new Map();
let shownAt = NaN;

function row(model) {
  let r = rows.get(model);
  if (r) return r;
  const tr = el('tr');
  tr.dataset.model = model;
  r = { tr, model: el('td', null, model), verdicts: el('td', 'num'), agree: el('td', 'num'), mae: el('td', 'num') };
  tr.append(r.model, r.verdicts, r.agree, r.mae);
  rows.set(model, r);
  return r;
}

/** A summary `{"at", "models": {...}}`; an older one than shown (a late catch-up) is ignored. */
export function onModelMetrics(summary) {
  const at = toMs(summary && summary.at);
  if (Number.isFinite(shownAt) && Number.isFinite(at) && at < shownAt) return;
  shownAt = at;
  const list = agreementRows(summary);
  list.forEach((x, i) => {
    const r = row(x.model);
    setText(r.verdicts, fmtInt(x.verdicts));
    setText(r.agree, fmtShare(x.agree));
    setText(r.mae, fmtMae(x.mae));
    r.tr.title = disagreementTitle(x);
    if (body.children[i] !== r.tr) body.insertBefore(r.tr, body.children[i] || null);
  });
  $('agreement-empty').hidden = list.length > 0;
  setText($('agreement-at'), Number.isFinite(at) ? 'as of ' + fmtTime(at) : '');
}

/** After a (re)connect: the current summary, which the bus only sends when a verdict comes in. */
export function loadModelMetrics() {
  return getJson('/api/v1/feedback/models').then(onModelMetrics)
    .catch((e) => { if (e.status !== 404) console.warn('argus: agreement by model not loaded', e.message); });
}
