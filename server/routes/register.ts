/**
 * The register of units (/bureau/register): the year's units, imported from a file (preview, then confirm)
 * or added and edited one by one, and the activation letters for a county (printed, or a CSV for mail
 * merge). Activation (/activate): a unit opens its account with its credit code and a code. A unit's own
 * users (/employer/users): its first user invites and removes the others.
 */
import { Router, type Request, type Response } from 'express';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Services } from '../services';
import { allow, can, countyScope, reachOf, scoped } from '../middleware/authorise';
import { verifyCsrf } from '../middleware/csrf';
import { localsOf } from '../middleware/types';
import { originalName, uploadMiddleware } from '../middleware/upload';
import { render } from '../render/engine';
import { COUNTIES, UNIT_TYPES } from '../rules/types';
import { REGISTER_COLUMNS, registerProblemText as problemText } from '../ingest/register-sheet';
import { writeRegisterTemplate } from '../ingest/register-template';
import { beijingToday, officialDate } from '../i18n/format';
import { hasMessage, said, t, type Lang } from '../i18n/t';
import { MIN_PASSWORD_LENGTH } from '../services/admin-accounts';
import { ACTIVATION_DAYS, INVITE_DAYS, type RegisterError, type UnitLetter } from '../services/register';
import { DomainError, notFound } from '../services/errors';
import { csvField } from '../../reports/xlsx/safe-cell';
import { sendAsAttachment, XLSX } from './attachment';
import { dataYearOf } from './query';
import { startSession } from './public';

const str = (v: unknown, max = 200) => (typeof v === 'string' ? v : '').slice(0, max);
const PREVIEW_ROWS = 200;
const PER_PAGE = 100;

const fieldLabel = (f: string | null, lang: Lang) =>
  f && hasMessage(`register.field.${f}`) ? t(`register.field.${f}`, lang) : '';

function errorText(e: RegisterError, lang: Lang, retryAfterSeconds?: number): string {
  if (e === 'limited') return t('loginLimited', lang, { s: retryAfterSeconds ?? 0 });
  return t(`account.error.${e}`, lang, { min: MIN_PASSWORD_LENGTH });
}

export function registerRoutes(s: Services) {
  const r = Router();
  const upload = uploadMiddleware(s.config.dataDir, s.config.maxUploadBytes);
  const siteOf = (req: Request) => s.config.publicUrl || `${req.protocol}://${req.get('host')}`;

  // ---- the register ----

  const registerPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const user = localsOf(req).user!;
    const lang = localsOf(req).lang;
    const county = countyScope(user, req.query.county, 'register.manage');
    const year = dataYearOf(req.query.year ?? req.body?.year);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 50) : '';
    const asked = Math.max(1, Math.floor(Number(req.query.page)) || 1);
    const f = { year, county, q: q || undefined };
    let { rows: units, total } = await s.register.page(f, asked, PER_PAGE);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const page = Math.min(asked, pages);
    if (page !== asked) ({ rows: units, total } = await s.register.page(f, page, PER_PAGE));
    const active = await s.register.activated(units.map((u) => u.uscc));
    const all = reachOf(user, 'register.manage') === 'all';
    const activeInAll = await s.register.activatedCount(year, county);
    const link = (p: number) =>
      `/bureau/register?${new URLSearchParams({ year: String(year), ...(county && all ? { county } : {}), ...(q ? { q } : {}), page: String(p) })}`;
    return render('bureau/register', {
      ...res.locals,
      title: t('register.title', lang),
      year,
      county,
      all,
      counties: COUNTIES.map((c) => ({ value: c, selected: c === county })),
      units: units.map((u) => ({ ...u, activated: active.has(u.uscc) })),
      total,
      registered: total || q ? await s.register.count(year, county) : 0,
      active: activeInAll,
      q,
      page,
      pages,
      from: total ? (page - 1) * PER_PAGE + 1 : 0,
      to: Math.min(total, page * PER_PAGE),
      prev: page > 1 ? link(page - 1) : null,
      next: page < pages ? link(page + 1) : null,
      activationDays: ACTIVATION_DAYS,
      maxBytes: s.config.maxUploadBytes,
      maxMB: Math.round(s.config.maxUploadBytes / 1024 / 1024),
      imported: typeof req.query.imported === 'string' ? req.query.imported : null,
      saved: req.query.saved === '1',
      ...extra,
    });
  };

  r.get('/bureau/register', allow('register.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    let imported: string | null = null;
    if (typeof req.query.imported === 'string') {
      const imp = await s.register.importRecord(req.query.imported);
      if (imp?.summary_json && can(localsOf(req).user, 'register.manage', imp))
        imported = t('register.imported', lang, JSON.parse(imp.summary_json));
    }
    res.send(await registerPage(req, res, { imported }));
  });

  r.get('/bureau/register/template.xlsx', allow('register.manage'), async (_req, res) => {
    const path = join(s.config.dataDir, 'tmp', `register-template-${randomUUID()}.xlsx`);
    await writeRegisterTemplate(path);
    sendAsAttachment(res, XLSX, 'register-template.xlsx', '用人单位名录模板.xlsx');
    res.send(readFileSync(path));
    await rm(path, { force: true });
  });

  r.post('/bureau/register/import', allow('register.manage'), upload, verifyCsrf, async (req, res) => {
    const user = localsOf(req).user!;
    const file = req.file;
    if (!file) throw new DomainError('bad-request', 'no file', said('register.error.noFile'));
    try {
      // the officer imports their own county; the administrator the whole city or one county
      const county = countyScope(user, req.body?.county, 'register.manage') ?? null;
      const id = await s.register.receive(user, {
        year: dataYearOf(req.body?.year),
        county,
        path: file.path,
        fileName: originalName(file),
        content: readFileSync(file.path),
      });
      res.redirect(303, `/bureau/register/imports/${id}`);
    } finally {
      await rm(file.path, { force: true });
    }
  });

  const scopedImport = async (req: Request) =>
    scoped(localsOf(req).user, 'register.manage', await s.register.importRecord(String(req.params.id)));

  r.get('/bureau/register/imports/:id', allow('register.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const imp = await scopedImport(req);
    const p = await s.register.preview(imp);
    const row = (x: { uscc: string; name: string; county: string; unitType: string }) => x;
    res.send(
      render('bureau/register-import', {
        ...res.locals,
        title: t('register.preview.title', lang),
        p,
        scope: p.county ? t(`place.${p.county}`, lang) : t('register.allCounties', lang),
        problems: p.problems.map((x) => ({
          row: x.row || t('register.preview.wholeFile', lang),
          column: x.column,
          field: fieldLabel(x.field, lang),
          message: problemText(x, lang),
        })),
        added: p.added.slice(0, PREVIEW_ROWS).map(row),
        addedMore: Math.max(0, p.added.length - PREVIEW_ROWS),
        changed: p.changed.slice(0, PREVIEW_ROWS).map((c) => ({
          ...row(c.row),
          fields: c.fields.map((f) => fieldLabel(f, lang)).join(t('listSep', lang)),
        })),
        changedMore: Math.max(0, p.changed.length - PREVIEW_ROWS),
        nothing: !p.problems.length && !p.added.length && !p.changed.length,
        pending: p.status === 'pending' && !p.problems.length,
        confirmed: p.status === 'confirmed',
      }),
    );
  });

  r.post('/bureau/register/imports/:id/confirm', allow('register.manage'), async (req, res) => {
    const imp = await scopedImport(req);
    await s.register.confirm(localsOf(req).user!, imp.id);
    const q = new URLSearchParams({
      year: String(imp.year),
      imported: imp.id,
      ...(imp.county ? { county: imp.county } : {}),
    });
    res.redirect(303, `/bureau/register?${q}`);
  });

  // ---- one unit ----

  const unitPage = async (req: Request, res: Response, extra: Record<string, unknown>) => {
    const lang = localsOf(req).lang;
    const user = localsOf(req).user!;
    const form = (extra.form ?? {}) as Record<string, string>;
    const own = reachOf(user, 'register.manage') === 'all' ? null : user.county;
    return render('bureau/register-unit', {
      ...res.locals,
      fields: REGISTER_COLUMNS.map((c) => ({
        key: c.key,
        label: t(`register.field.${c.key}`, lang),
        required: c.required,
        value: form[c.key] ?? '',
        choices:
          c.key === 'county'
            ? (own ? [own] : COUNTIES).map((v) => ({ value: v, selected: v === form.county }))
            : c.key === 'unitType'
              ? UNIT_TYPES.map((v) => ({ value: v, selected: v === form.unitType }))
              : null,
        max: c.max,
      })),
      ...extra,
    });
  };

  const formOf = (b: Record<string, unknown> | undefined) =>
    Object.fromEntries(REGISTER_COLUMNS.map((c) => [c.key, str(b?.[c.key], 300).trim()]));

  /** The form checked as a file's row is, and within the user's reach: problems in words, or the fields. */
  const checked = (req: Request) => {
    const lang = localsOf(req).lang;
    const out = s.register.checkUnit(formOf(req.body));
    const user = localsOf(req).user!;
    if (out.fields && !can(user, 'register.manage', { county: out.fields.county }))
      return {
        problems: [
          `${fieldLabel('county', lang)}：${problemText({ row: 2, column: '', field: 'county', code: 'register/other-county', params: { county: out.fields.county, own: user.county ?? '' } }, lang)}`,
        ],
      };
    return {
      problems: out.problems.map(
        (p) => `${fieldLabel(p.field, lang)}${lang === 'zh' ? '：' : ': '}${problemText(p, lang)}`,
      ),
      fields: out.fields,
    };
  };

  r.get('/bureau/register/units/new', allow('register.manage'), async (req, res) => {
    const year = dataYearOf(req.query.year);
    const user = localsOf(req).user!;
    res.send(
      await unitPage(req, res, {
        title: t('register.unit.addTitle', localsOf(req).lang, { year }),
        year,
        form: { county: reachOf(user, 'register.manage') === 'all' ? '' : (user.county ?? '') },
      }),
    );
  });

  r.post('/bureau/register/units', allow('register.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const year = dataYearOf(req.body?.year);
    const c = checked(req);
    const title = t('register.unit.addTitle', lang, { year });
    if (!c.fields)
      return res
        .status(422)
        .send(await unitPage(req, res, { title, year, form: formOf(req.body), problems: c.problems }));
    const id = await s.register.addUnit(localsOf(req).user!, year, c.fields);
    if (id === 'exists')
      return res.status(409).send(
        await unitPage(req, res, {
          title,
          year,
          form: formOf(req.body),
          problems: [t('register.unit.exists', lang, { year })],
        }),
      );
    res.redirect(303, `/bureau/register?year=${year}&county=${encodeURIComponent(c.fields.county)}&saved=1`);
  });

  const scopedUnit = async (req: Request) =>
    scoped(localsOf(req).user, 'register.manage', await s.register.unit(Number(req.params.id) || 0));

  const unitForm = (u: Awaited<ReturnType<typeof scopedUnit>>) => ({
    uscc: u.uscc,
    name: u.name,
    county: u.county,
    unitType: u.unit_type,
    contactName: u.contact_name ?? '',
    contactPhone: u.contact_phone ?? '',
  });

  r.get('/bureau/register/units/:id', allow('register.manage'), async (req, res) => {
    const u = await scopedUnit(req);
    res.send(
      await unitPage(req, res, {
        title: t('register.unit.editTitle', localsOf(req).lang),
        unit: u,
        year: u.year,
        form: unitForm(u),
        saved: req.query.saved === '1',
      }),
    );
  });

  r.post('/bureau/register/units/:id', allow('register.manage'), async (req, res) => {
    const lang = localsOf(req).lang;
    const u = await scopedUnit(req);
    const c = checked(req);
    const extra = { title: t('register.unit.editTitle', lang), unit: u, year: u.year, form: formOf(req.body) };
    if (!c.fields) return res.status(422).send(await unitPage(req, res, { ...extra, problems: c.problems }));
    if ((await s.register.editUnit(localsOf(req).user!, u, c.fields)) === 'exists')
      return res
        .status(409)
        .send(await unitPage(req, res, { ...extra, problems: [t('register.unit.exists', lang, { year: u.year })] }));
    res.redirect(303, `/bureau/register/units/${u.id}?saved=1`);
  });

  // ---- letters ----

  const sendLetters = async (req: Request, res: Response, letters: UnitLetter[], year: number, csv: boolean) => {
    const lang = localsOf(req).lang;
    const site = `${siteOf(req)}/activate`;
    const contacts = new Map<string, Record<string, string | undefined>>();
    for (const c of new Set(letters.map((l) => l.county))) contacts.set(c, await s.countySettings.issuer(c));
    const rows = letters.map((l) => ({
      ...l,
      expiresOn: beijingToday(new Date(l.expiresAt)),
      contact: contacts.get(l.county) ?? {},
    }));
    if (csv) {
      const head = ['name', 'uscc', 'county', 'code', 'expires', 'site', 'contact', 'phone'].map((k) =>
        t(`register.csv.${k}`, lang),
      );
      const body = rows.map((l) => [
        l.name,
        l.uscc,
        l.county,
        l.code,
        officialDate(l.expiresAt, lang),
        site,
        [l.contact.issuingBody, l.contact.contactPerson].filter(Boolean).join(' '),
        l.contact.telephone ?? '',
      ]);
      const text = [head, ...body].map((x) => x.map((v) => csvField(String(v))).join(',')).join('\r\n');
      sendAsAttachment(res, 'text/csv; charset=utf-8', `activation-${year}.csv`, `开通通知书-${year}.csv`);
      res.send('\ufeff' + text + '\r\n');
      return;
    }
    res.send(
      render('bureau/register-letters', {
        ...res.locals,
        title: t('register.letter.title', lang),
        letters: rows,
        year,
        site,
        today: beijingToday(),
      }),
    );
  };

  r.post('/bureau/register/letters', allow('register.manage'), async (req, res) => {
    const user = localsOf(req).user!;
    const year = dataYearOf(req.body?.year);
    const county = countyScope(user, req.body?.county, 'register.manage');
    if (!county) throw new DomainError('invalid', 'county required', said('register.error.county'));
    const units = await s.register.list(year, county);
    const active = req.body?.which === 'all' ? new Set<string>() : await s.register.activated(units.map((u) => u.uscc));
    const letters = await s.register.issueActivation(
      user,
      units.filter((u) => !active.has(u.uscc)),
    );
    await sendLetters(req, res, letters, year, req.body?.format === 'csv');
  });

  r.post('/bureau/register/units/:id/letter', allow('register.manage'), async (req, res) => {
    const u = await scopedUnit(req);
    const letters = await s.register.issueActivation(localsOf(req).user!, [u]);
    await sendLetters(req, res, letters, u.year, req.body?.format === 'csv');
  });

  // ---- activation ----

  const activatePage = (req: Request, res: Response, extra: Record<string, unknown> = {}) =>
    render('public/activate', {
      ...res.locals,
      title: t('activate.title', localsOf(req).lang),
      min: MIN_PASSWORD_LENGTH,
      form: {},
      ...extra,
    });

  r.get('/activate', (req, res) => {
    res.send(activatePage(req, res));
  });

  r.post('/activate', async (req, res, next) => {
    const lang = localsOf(req).lang;
    const form = {
      uscc: str(req.body?.uscc, 40),
      code: str(req.body?.code, 40),
      username: str(req.body?.username, 64),
      displayName: str(req.body?.displayName, 100),
      password: str(req.body?.password),
      confirm: str(req.body?.confirm),
    };
    const result = await s.register.activate(form, req.ip ?? 'unknown');
    if (!result.ok) {
      if (result.retryAfterSeconds) res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return res.status(result.error === 'limited' ? 429 : 422).send(
        activatePage(req, res, {
          error: errorText(result.error, lang, result.retryAfterSeconds),
          form: { uscc: form.uscc, username: form.username, displayName: form.displayName },
        }),
      );
    }
    const user = result.user;
    req.session.regenerate((err) => {
      if (err) return next(err);
      startSession(req, user);
      req.session.save((e2) => (e2 ? next(e2) : res.redirect(303, '/employer')));
    });
  });

  // ---- the unit's own users ----

  const ownEmployer = async (req: Request) => {
    const user = localsOf(req).user!;
    const e = await s.employers.byId(user.employer_id ?? -1);
    return scoped(user, 'employer.users', e && { ...e, employer_id: e.id });
  };

  const usersPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const lang = localsOf(req).lang;
    const user = localsOf(req).user!;
    const e = await ownEmployer(req);
    const users = await s.register.users(e.id);
    const first = users[0]?.id === user.id;
    return render('employer/users', {
      ...res.locals,
      title: t('employerUsers.title', lang),
      employer: e,
      first,
      inviteDays: INVITE_DAYS,
      users: users.map((u, i) => ({
        ...u,
        isFirst: i === 0,
        self: u.id === user.id,
        removable: first && i > 0,
      })),
      ...extra,
    });
  };

  r.get('/employer/users', allow('employer.users'), async (req, res) => {
    res.send(await usersPage(req, res, { removed: req.query.removed === '1' }));
  });

  r.post('/employer/users/invite', allow('employer.users'), async (req, res) => {
    const lang = localsOf(req).lang;
    const e = await ownEmployer(req);
    const inv = await s.register.invite(localsOf(req).user!, e.id);
    res.send(
      await usersPage(req, res, {
        invitation: {
          code: inv.code,
          how: t('employerUsers.codeHow', lang, {
            url: `${siteOf(req)}/activate`,
            uscc: inv.uscc,
            at: officialDate(inv.expiresAt, lang),
          }),
        },
      }),
    );
  });

  r.post('/employer/users/:id/remove', allow('employer.users'), async (req, res) => {
    const e = await ownEmployer(req);
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw notFound();
    await s.register.removeUser(localsOf(req).user!, e.id, id);
    res.redirect(303, '/employer/users?removed=1');
  });

  return r;
}
