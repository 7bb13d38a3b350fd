// The page's only script. Everything the server answers, and everything pasted, is shown
// with textContent: nothing from a mail is ever parsed as HTML.
'use strict';

const TEXT = {
  ja: {
    title: '詐欺メール・SMSチェック',
    intro: '届いたメールやSMSの文面を貼り付けて「調べる」を押してください。.eml ファイルをここに落としても調べられます。',
    privacy: '貼り付けた文面は、このサーバーで判定に使うだけです。保存も記録もせず、ほかのどこにも送りません。',
    sender: '差出人（SMSなら表示された電話番号や名前。わかる場合だけ）',
    file: '.eml を選ぶ',
    check: '調べる',
    checking: '調べています…',
    empty: '文面を貼り付けるか、.eml ファイルを選んでください。',
    failed: '調べられませんでした：',
    signals: '見つかった手がかり',
    noSignals: '決め手になる手がかりは見つかりませんでした。',
    textTitle: '文面（手がかりの箇所に印）',
    report: '相談・報告先',
    probability: (p) => `詐欺の可能性：${(p * 100).toFixed(1)}%`,
    verdict: { scam: '詐欺の可能性が高いメールです', unsure: '判断がつきません。注意してください', ham: '詐欺の特徴は見当たりません' },
    hamWithSigns: '詐欺とまでは判定されませんでしたが、気になる手がかりがあります',
    insufficient: '文面が短く、判断の材料が足りません。',
    footer: 'sagiguard — 判定は機械学習による目安です。少しでも不安なら、メールのリンクではなく公式のアプリや自分で入力した公式サイトで確かめてください。',
    other: 'English',
  },
  en: {
    title: 'Is this mail or SMS a scam?',
    intro: 'Paste the text of a mail or SMS you received and press "Check". You can also drop an .eml file here.',
    privacy: 'What you paste is used only to judge it on this server: it is not stored, logged or sent anywhere else.',
    sender: 'Sender (for an SMS, the number or name it showed, if you know it)',
    file: 'Choose an .eml',
    check: 'Check',
    checking: 'Checking…',
    empty: 'Paste a text or choose an .eml file first.',
    failed: 'Could not check it: ',
    signals: 'What gives it away',
    noSignals: 'No telling sign was found.',
    textTitle: 'The text (signs marked)',
    report: 'Where to ask or report',
    probability: (p) => `Likelihood of a scam: ${(p * 100).toFixed(1)}%`,
    verdict: { scam: 'This looks like a scam', unsure: 'Cannot tell: be careful', ham: 'No sign of a scam' },
    hamWithSigns: 'Not judged a scam, but it shows signs worth a second look',
    insufficient: 'The text is too short to judge.',
    footer: 'sagiguard — a machine-learning estimate. When in doubt, check in the official app or on the official site you type in yourself, never through the link in the mail.',
    other: '日本語',
  },
};

const $ = (id) => document.getElementById(id);
let lang = 'ja';
let fileBytes = null;
let last = null;

function setText(id, text) {
  $(id).textContent = text;
}

function applyLanguage() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = `sagiguard — ${t.title}`;
  setText('title', t.title);
  setText('intro', t.intro);
  setText('privacy', t.privacy);
  $('file-label').firstChild.textContent = t.file;
  $('sender-label').firstChild.textContent = t.sender;
  setText('check', t.check);
  setText('signals-title', t.signals);
  setText('text-title', t.textTitle);
  setText('report-title', t.report);
  setText('footer', t.footer);
  setText('lang', t.other);
  $('lang').lang = lang === 'ja' ? 'en' : 'ja';
}

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
  $('result').hidden = true;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

function listItems(el, items) {
  clear(el);
  for (const item of items) {
    const li = document.createElement('li');
    li.textContent = item;
    el.appendChild(li);
  }
}

// The pasted text with every piece of evidence found in it marked.
function markEvidence(el, text, evidence) {
  clear(el);
  const ranges = [];
  for (const e of evidence) {
    // A link's evidence may carry a note after it: "https://… (brand inside host)".
    const whole = (e || '').trim();
    const needle = text.includes(whole) ? whole : whole.split(' (')[0];
    if (needle.length < 2) continue;
    let at = text.indexOf(needle);
    while (at !== -1) {
      ranges.push([at, at + needle.length]);
      at = text.indexOf(needle, at + needle.length);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [start, end] of ranges) {
    if (end <= pos) continue;
    const from = Math.max(start, pos);
    if (from > pos) el.appendChild(document.createTextNode(text.slice(pos, from)));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(from, end);
    el.appendChild(mark);
    pos = end;
  }
  if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
}

function render(data, text) {
  const t = TEXT[lang];
  const verdict = $('verdict');
  // A legitimate verdict with signs found must not read as "no sign of a scam".
  const signed = data.verdict === 'ham' && data.signals.length > 0;
  verdict.textContent = signed ? t.hamWithSigns : t.verdict[data.verdict] || data.verdict;
  verdict.className = data.verdict;
  setText('probability', data.insufficient_evidence ? t.insufficient : t.probability(data.scam_probability));
  const signals = data.signals.map((s) => s.message);
  listItems($('signals'), signals.length ? signals : [t.noSignals]);
  markEvidence($('text'), text, data.signals.map((s) => s.evidence));
  setText('advice-title', data.advice.title);
  listItems($('advice'), data.advice.items);
  listItems($('report'), (data.report || []).map((r) => `${r.name}: ${r.contact}`));
  $('error').hidden = true;
  $('result').hidden = false;
}

async function check() {
  const t = TEXT[lang];
  const pasted = $('mail').value;
  if (!fileBytes && !pasted.trim()) {
    showError(t.empty);
    return;
  }
  const body = fileBytes || new TextEncoder().encode(pasted);
  const shown = fileBytes ? new TextDecoder('utf-8').decode(fileBytes) : pasted;
  const button = $('check');
  button.disabled = true;
  button.textContent = t.checking;
  try {
    // A pasted SMS has no header to name its sender; a mail file keeps its own From.
    const sender = $('sender').value.trim();
    const query = sender ? `&sender=${encodeURIComponent(sender)}` : '';
    const response = await fetch(`/explain?lang=${lang}${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body,
    });
    const data = await response.json();
    if (!response.ok) {
      showError(t.failed + (data.error || response.status));
      return;
    }
    last = { data: null, text: shown };
    render(data, shown);
  } catch (err) {
    showError(t.failed + err);
  } finally {
    button.disabled = false;
    button.textContent = TEXT[lang].check;
  }
}

function takeFile(file) {
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => {
    fileBytes = new Uint8Array(reader.result);
    setText('file-name', file.name);
    $('mail').value = '';
  };
  reader.readAsArrayBuffer(file);
}

document.addEventListener('DOMContentLoaded', () => {
  $('check').addEventListener('click', check);
  $('lang').addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    applyLanguage();
    // The answer's messages come in the language asked for: ask again.
    if (last && !$('result').hidden) check();
  });
  $('file').addEventListener('change', (e) => takeFile(e.target.files[0]));
  $('mail').addEventListener('input', () => {
    fileBytes = null;
    setText('file-name', '');
  });
  const area = $('mail');
  area.addEventListener('dragover', (e) => {
    e.preventDefault();
    area.classList.add('dragging');
  });
  area.addEventListener('dragleave', () => area.classList.remove('dragging'));
  area.addEventListener('drop', (e) => {
    e.preventDefault();
    area.classList.remove('dragging');
    takeFile(e.dataTransfer.files[0]);
  });
});
