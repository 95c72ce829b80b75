// The pdf-lib peer: renders the blank consent described by bench_form_json's
// output with pdf-lib's drawing API and AcroForm fields, N times in one
// process, and prints one JSON line like bench_render's.
//
// The same document and layout as reportlab_peer.py (see there): A4, header
// and "Page X of Y" footer, wrapped text, risk cards with a checkbox and an
// initials field, labelled text fields (one stands in for each signature),
// radio groups for yes/no and choices, DejaVu Sans regular and bold
// embedded as subsets through @pdf-lib/fontkit.
//
//   node pdflib_peer.mjs FORM.json [--docs N] [--max-seconds S] [--warmup N] [--out PDF]
//
// Stops after N documents, or earlier once S seconds of measuring have
// passed (the JSON line says how many were made).
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const INK = rgb(0.12, 0.14, 0.17);
const MUTED = rgb(0.38, 0.41, 0.46);
const ACCENT = rgb(0.05, 0.36, 0.45);
const REQUIRED = rgb(0.7, 0.16, 0.14);
const RULE = rgb(0.78, 0.81, 0.84);
const TINT = rgb(0.94, 0.97, 0.97);
const BOX = rgb(0.32, 0.35, 0.4);
const BOX_FILL = rgb(0.99, 0.99, 1);
const WHITE = rgb(1, 1, 1);

const BODY = 10, BODY_LEADING = 14;
const LABEL = 9.5, LABEL_LEADING = 13;
const SMALL = 8.5, SMALL_LEADING = 11;
const COMPACT_WIDTH = { date: 150, phone: 200, email: 260, initials: 90, signature: 300 };
const BOX_HEIGHT = { textarea: 58, signature: 46 };

function wrap(text, font, size, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const trial = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(trial, size) > width) {
      lines.push(line);
      line = word;
    } else {
      line = trial;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

class Layout {
  constructor(doc, form, regular, bold) {
    Object.assign(this, { doc, form, regular, bold, acro: doc.getForm() });
    this.w = 595.28;
    this.h = 841.89;
    this.left = 50;
    this.right = this.w - 50;
    this.top = this.h - 92;
    this.bottom = 60;
    this.atoms = [];
  }

  get width() { return this.right - this.left; }

  // Content ----------------------------------------------------------------
  build() {
    const f = this.form;
    const title = wrap(f.title, this.bold, 20, this.width);
    this.add(24 * title.length + 4, (p, t) => this.textLines(p, title, this.left, t - 20, this.bold, 20, 24, INK));
    if (f.summary) this.textBlock(f.summary, 0, 6);
    const legend = 'Please read every section. Items marked * are required.';
    this.add(SMALL_LEADING + 6, (p, t) => this.text(p, this.left, t - 14.5, this.regular, SMALL, legend, MUTED));
    for (const section of f.sections) this.section(section);
    return this.atoms;
  }

  add(height, draw, before = 0, keep = false) {
    this.atoms.push({ height, draw, before, keep });
  }

  section(section) {
    const first = this.atoms.length;
    const heading = wrap(section.heading, this.bold, 12.5, this.width);
    this.add(17 * heading.length + 9, (p, top) => {
      const y = this.textLines(p, heading, this.left, top - 12.5, this.bold, 12.5, 17, ACCENT);
      this.line(p, this.left, y + 10, this.right, y + 10, RULE, 0.6);
    }, 18, true);
    let riskNumber = 0, row = [], rowWidth = 0, previousText = false;
    const flush = () => { if (row.length) this.fieldRow(row); row = []; rowWidth = 0; };
    for (const block of section.blocks) {
      const kind = block.block;
      if (kind === 'field' && block.type in COMPACT_WIDTH) {
        const w = COMPACT_WIDTH[block.type];
        if (row.length && rowWidth + 18 + w > this.width) flush();
        rowWidth += (row.length ? 18 : 0) + w;
        row.push(block);
        continue;
      }
      flush();
      if (previousText && (kind === 'risk' || kind === 'field')) this.atoms[this.atoms.length - 1].keep = true;
      previousText = kind === 'p' || kind === 'list';
      if (kind === 'p') this.textBlock(block.text, 0, 6);
      else if (kind === 'list') block.items.forEach((item, i) => this.textBlock(item, 6, i === 0 ? 6 : 3, '•'));
      else if (kind === 'risk') this.risk(block, ++riskNumber);
      else if (['yesno', 'choice', 'multichoice'].includes(block.type)) this.question(block);
      else this.fieldRow([block]);
    }
    flush();
    if (section.kind === 'fields') {
      const atoms = this.atoms.slice(first);
      const height = atoms.reduce((sum, a) => sum + a.before + a.height, 0);
      if (height <= 0.6 * (this.top - this.bottom)) atoms.slice(0, -1).forEach((a) => { a.keep = true; });
    }
  }

  textBlock(text, indent, before, bullet = '') {
    const bulletWidth = bullet ? 14 : 0;
    const lines = wrap(text, this.regular, BODY, this.width - indent - bulletWidth);
    const x = this.left + indent;
    lines.forEach((line, i) => {
      const keep = lines.length > 1 && (i === 0 || i + 2 === lines.length);
      this.add(BODY_LEADING, (p, top) => {
        if (i === 0 && bullet) this.text(p, x + 2, top - 10, this.bold, BODY, bullet, ACCENT);
        this.text(p, x + bulletWidth, top - 10.5, this.regular, BODY, line, INK);
      }, i === 0 ? before : 0, keep);
    });
  }

  risk(risk, number) {
    const inner = this.width - 28;
    const title = wrap(`${number}. ${risk.title}`, this.bold, 11, inner);
    const headHeight = 10 + 15 * title.length;
    const background = (p, top, height) => {
      this.rect(p, this.left, top - height, this.width, height, TINT);
      this.rect(p, this.left, top - height, 3, height, ACCENT);
    };
    this.add(headHeight, (p, top) => {
      background(p, top, headHeight);
      this.textLines(p, title, this.left + 14, top - 21, this.bold, 11, 15, INK);
    }, 10, true);
    for (const line of wrap(risk.description, this.regular, BODY, inner)) {
      this.add(BODY_LEADING, (p, top) => {
        background(p, top, BODY_LEADING);
        this.text(p, this.left + 14, top - 10.5, this.regular, BODY, line, INK);
      }, 0, true);
    }
    this.add(40, (p, top) => {
      background(p, top, 40);
      const row = top - 10;
      const check = this.acro.createCheckBox(`${risk.id}-understood`);
      check.enableRequired();
      check.addToPage(p, { x: this.left + 14, y: row - 17.5, width: 14, height: 14, borderColor: BOX, borderWidth: 0.9, backgroundColor: WHITE });
      this.label(p, 'I understand this risk', true, this.left + 36, row - 4, this.bold, BODY);
      const x = this.right - 14 - 80;
      const initialsWidth = this.regular.widthOfTextAtSize('Initials', LABEL);
      this.text(p, x - 8 - initialsWidth, row - 15, this.regular, LABEL, 'Initials', INK);
      this.text(p, x - 6, row - 15, this.bold, LABEL, '*', REQUIRED);
      const initials = this.acro.createTextField(`${risk.id}-initials`);
      initials.setMaxLength(4);
      initials.enableRequired();
      initials.addToPage(p, { x, y: row - 22, width: 80, height: 22, borderColor: BOX, borderWidth: 0.9, backgroundColor: BOX_FILL });
    });
  }

  question(field) {
    const label = wrap(field.label, this.bold, LABEL, this.width - 8);
    const options = field.options.length ? field.options : [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
    const inline = field.type === 'yesno';
    const height = LABEL_LEADING * label.length + 20 * (inline ? 1 : options.length) + 6;
    this.add(height, (p, top) => {
      let y = this.label(p, field.label, field.required, this.left, top, this.bold, LABEL);
      let x = this.left;
      const group = field.type === 'multichoice' ? null : this.acro.createRadioGroup(field.id);
      for (const option of options) {
        const rect = { x, y: y - 16, width: 13, height: 13, borderColor: BOX, borderWidth: 0.9, backgroundColor: WHITE };
        if (group) group.addOptionToPage(option.value, p, rect);
        else this.acro.createCheckBox(`${field.id}-${option.value}`).addToPage(p, rect);
        this.text(p, x + 19, y - 13.5, this.regular, BODY, option.label, INK);
        if (inline) x += 19 + this.regular.widthOfTextAtSize(option.label, BODY) + 18;
        else y -= 20;
      }
    }, 10);
  }

  fieldRow(fields) {
    const widths = fields.map((f) => COMPACT_WIDTH[f.type] ?? this.width);
    const height = Math.max(...fields.map((f, i) => this.cellHeight(f, widths[i])));
    this.add(height, (p, top) => {
      let x = this.left;
      fields.forEach((f, i) => { this.cell(p, f, x, top, widths[i]); x += widths[i] + 18; });
    }, 10);
  }

  static hint(field) { return field.hint || (field.type === 'date' ? 'YYYY-MM-DD' : ''); }

  cellHeight(field, width) {
    const label = wrap(field.label, this.bold, LABEL, width - 8);
    const hint = Layout.hint(field);
    return LABEL_LEADING * label.length + 4 + (BOX_HEIGHT[field.type] ?? 22) +
      (hint ? SMALL_LEADING * wrap(hint, this.regular, SMALL, width).length + 2 : 0);
  }

  cell(p, field, x, top, width) {
    const y = this.label(p, field.label, field.required, x, top, this.bold, LABEL) - 4;
    const height = BOX_HEIGHT[field.type] ?? 22;
    const box = this.acro.createTextField(field.id);
    if (field.required) box.enableRequired();
    if (field.type === 'textarea') box.enableMultiline();
    box.addToPage(p, { x, y: y - height, width, height, borderColor: BOX, borderWidth: 0.9, backgroundColor: BOX_FILL });
    if (field.type === 'signature') {
      this.text(p, x + 8, y - height + 10, this.regular, 12, '×', MUTED);
      this.line(p, x + 8, y - height + 8, x + width - 8, y - height + 8, BOX, 0.6);
    }
    const hint = Layout.hint(field);
    if (hint) this.textLines(p, wrap(hint, this.regular, SMALL, width), x, y - height - 10.5, this.regular, SMALL, SMALL_LEADING, MUTED);
  }

  // Drawing helpers --------------------------------------------------------
  text(p, x, y, font, size, text, color) { p.drawText(text, { x, y, font, size, color }); }

  textLines(p, lines, x, y, font, size, leading, color) {
    for (const line of lines) { this.text(p, x, y, font, size, line, color); y -= leading; }
    return y;
  }

  label(p, text, required, x, top, font, size) {
    const leading = size === LABEL ? LABEL_LEADING : BODY_LEADING;
    const lines = wrap(text, font, size, this.width - 8);
    let y = top;
    for (const line of lines) { this.text(p, x, y - size, font, size, line, INK); y -= leading; }
    if (required) {
      const end = x + font.widthOfTextAtSize(lines[lines.length - 1], size) + 2;
      this.text(p, end, y + leading - size, this.bold, size, '*', REQUIRED);
    }
    return y;
  }

  rect(p, x, y, width, height, color) { p.drawRectangle({ x, y, width, height, color }); }

  line(p, x1, y1, x2, y2, color, thickness) {
    p.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, color, thickness });
  }

  // Pages ------------------------------------------------------------------
  paginate(atoms) {
    const pages = [[]];
    let y = this.top;
    for (let i = 0; i < atoms.length;) {
      let j = i;
      let chain = atoms[i].height + (pages[pages.length - 1].length ? atoms[i].before : 0);
      while (atoms[j].keep && j + 1 < atoms.length) { j += 1; chain += atoms[j].before + atoms[j].height; }
      if (pages[pages.length - 1].length && y - chain < this.bottom && chain <= this.top - this.bottom) {
        pages.push([]);
        y = this.top;
      }
      for (const atom of atoms.slice(i, j + 1)) {
        let before = pages[pages.length - 1].length ? atom.before : 0;
        if (pages[pages.length - 1].length && y - before - atom.height < this.bottom) {
          pages.push([]);
          y = this.top;
          before = 0;
        }
        y -= before;
        pages[pages.length - 1].push([atom, y]);
        y -= atom.height;
      }
      i = j + 1;
    }
    return pages;
  }

  header(p) {
    const { clinic, title } = this.form;
    this.text(p, this.left, this.h - 50, this.bold, 12, clinic.name, INK);
    const contact = [clinic.address, clinic.phone].filter(Boolean).join('  ·  ');
    this.text(p, this.left, this.h - 64, this.regular, SMALL - 1, contact, MUTED);
    this.text(p, this.right - this.bold.widthOfTextAtSize(title, LABEL), this.h - 50, this.bold, LABEL, title, ACCENT);
    this.line(p, this.left, this.h - 74, this.right, this.h - 74, ACCENT, 1.2);
  }

  footer(p, number, total) {
    const f = this.form;
    this.line(p, this.left, 44, this.right, 44, RULE, 0.6);
    const note = `${f.id}  ·  version ${f.version}  ·  definition ${f.sha256.slice(0, 12)}`;
    this.text(p, this.left, 32, this.regular, SMALL - 1, note, MUTED);
    const pages = `Page ${number} of ${total}`;
    this.text(p, this.right - this.bold.widthOfTextAtSize(pages, SMALL), 32, this.bold, SMALL, pages, INK);
  }
}

async function render(form, fonts) {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(form.title);
  doc.setCreator('pdf-lib peer');
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  const layout = new Layout(doc, form, regular, bold);
  const pages = layout.paginate(layout.build());
  pages.forEach((atoms, index) => {
    const page = doc.addPage([layout.w, layout.h]);
    layout.header(page);
    layout.footer(page, index + 1, pages.length);
    for (const [atom, top] of atoms) atom.draw(page, top);
  });
  return doc.save();
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function peakRssKb() {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.split(/\s+/)[1]) : 0;
}

function parseArgs(argv) {
  const args = { docs: 1000, maxSeconds: 0, warmup: 20, out: '', form: '' };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--docs') args.docs = Number(argv[++i]);
    else if (argv[i] === '--max-seconds') args.maxSeconds = Number(argv[++i]);
    else if (argv[i] === '--warmup') args.warmup = Number(argv[++i]);
    else if (argv[i] === '--out') args.out = argv[++i];
    else args.form = argv[i];
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const form = JSON.parse(readFileSync(args.form, 'utf8'));
  const fonts = {
    regular: readFileSync(`${FONT_DIR}/DejaVuSans.ttf`),
    bold: readFileSync(`${FONT_DIR}/DejaVuSans-Bold.ttf`),
  };
  let pdf;
  for (let i = 0; i < args.warmup; i += 1) pdf = await render(form, fonts);
  const ms = [];
  const startAll = performance.now();
  for (let i = 0; i < args.docs; i += 1) {
    const start = performance.now();
    pdf = await render(form, fonts);
    ms.push(performance.now() - start);
    if (args.maxSeconds && performance.now() - startAll > 1000 * args.maxSeconds) break;
  }
  const total = performance.now() - startAll;
  if (args.out) writeFileSync(args.out, pdf);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  console.log(JSON.stringify({
    docs: ms.length,
    ms: { median: percentile(ms, 50), p99: percentile(ms, 99), mean, min: Math.min(...ms) },
    docs_per_s: (1000 * ms.length) / total,
    bytes: pdf.length,
    vmhwm_kb: peakRssKb(),
  }));
}

main().catch((e) => { console.error(`pdflib_peer: ${e.stack || e}`); process.exit(1); });
