/**
 * Bureau pages: the county's submissions (filters, search), one submission read-only with accept/return,
 * employers that have not submitted, the parameters in force (administrators add values). An officer
 * sees only their county; the administrator sees every county.
 */
import { recomputesOf } from './procedure';
import { Router, type Request, type Response } from 'express';
import type { Services, SubmissionStatus } from '../services';
import { allow, can, countyScope, reachOf, scoped } from '../middleware/authorise';
import { localsOf } from '../middleware/types';
import { render } from '../render/engine';
import { COUNTIES } from '../rules/types';
import { resultView } from '../../reports/employer/result-view';
import { sendReportXlsx } from './report';
import { dataYearOf, queryDate } from './query';
import { todayInChina } from '../services/notices';
import { hasMessage, said, t, type Lang } from '../i18n/t';
import { DomainError } from '../services/errors';
import type { SessionUser } from '../middleware/types';
import {
  choiceLabel,
  entryProblems,
  fieldLabel,
  formFromValue,
  valueFields,
  valueFormProblems,
  valueFromForm,
  type FieldProblem,
} from '../params/form';
import { ISSUER_FIELDS, ISSUER_LABELS } from '../../reports/disclosure/notice-document';

/** The clashes of a submission's result and the decisions made on its unit's year, for the review page. */
async function officerClashes(
  s: Services,
  user: SessionUser | null,
  sub: {
    id: number;
    check_id: string;
    employer_id: number;
    year: number;
    county?: string;
    superseded_by_version?: number | null;
  },
) {
  const list = await s.crossUnit.clashesOfCheck(sub.check_id);
  return {
    list: list.map((c) => ({ ...c, sides: [{ ...c.here, here: true }, c.other] })),
    decisions: await s.crossUnit.decisionsOf(sub.year, sub.employer_id),
    canDecide: !sub.superseded_by_version && can(user, 'clash.decide', sub),
  };
}

const SORTS = ['submittedAt', 'name', 'quota', 'levy', 'reward', 'status'] as const;
const PER_PAGE = 50;

export function bureauRoutes(s: Services) {
  const r = Router();
  r.use(allow('bureau.use'));

  r.get('/', async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'submission.list');
    const year = dataYearOf(req.query.year);
    const status = ['submitted', 'accepted', 'returned'].includes(String(req.query.status))
      ? (req.query.status as SubmissionStatus)
      : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 50) : '';
    // sorted and paged on the server; the page says how many there are in all (no silent cap)
    const sort = SORTS.find((x) => x === req.query.sort) ?? 'submittedAt';
    const dir = req.query.dir === 'asc' ? 'asc' : req.query.dir === 'desc' ? 'desc' : sort === 'name' ? 'asc' : 'desc';
    const asked = Math.max(1, Math.floor(Number(req.query.page)) || 1);
    const f = { county, year, status, q: q || undefined, latestOnly: true };
    const first = await s.submissions.page(f, { sort, dir, page: asked, perPage: PER_PAGE });
    const pages = Math.max(1, Math.ceil(first.total / PER_PAGE));
    const page = Math.min(asked, pages);
    const { rows, total } =
      page === asked ? first : await s.submissions.page(f, { sort, dir, page, perPage: PER_PAGE });
    const qs = (o: Record<string, string | number>) =>
      new URLSearchParams(
        Object.entries({
          year: String(year),
          ...(county && reachOf(user, 'submission.list') === 'all' ? { county } : {}),
          ...(status ? { status } : {}),
          ...(q ? { q } : {}),
          sort,
          dir,
          page: String(page),
          ...o,
        }).map(([k, v]) => [k, String(v)]),
      ).toString();
    const heads = SORTS.map((k) => ({
      key: k,
      label: t(`bureau.list.col.${k}`, localsOf(req).lang),
      href: `/bureau?${qs({ sort: k, dir: k === sort && dir === 'desc' ? 'asc' : k === sort ? 'desc' : k === 'name' ? 'asc' : 'desc', page: 1 })}`,
      aria: k === sort ? (dir === 'asc' ? 'ascending' : 'descending') : null,
      arrow: k === sort ? (dir === 'asc' ? '↑' : '↓') : '',
    }));
    res.send(
      render('bureau/home', {
        ...res.locals,
        rows,
        year,
        status,
        q,
        county,
        counties: reachOf(user, 'submission.list') === 'all' ? COUNTIES : null,
        heads: Object.fromEntries(heads.map((h) => [h.key, h])),
        total,
        page,
        pages,
        from: total ? (page - 1) * PER_PAGE + 1 : 0,
        to: Math.min(total, page * PER_PAGE),
        prev: page > 1 ? `/bureau?${qs({ page: page - 1 })}` : null,
        next: page < pages ? `/bureau?${qs({ page: page + 1 })}` : null,
      }),
    );
  });

  const scopedSubmission = async (req: Request) =>
    scoped(localsOf(req).user, 'submission.read', await s.submissions.byId(Number(req.params.id)));

  r.get('/submissions/:id', async (req, res) => {
    const sub = await scopedSubmission(req);
    const c = await s.checks.byId(sub.check_id);
    const deadlines = await s.procedure.deadlines(sub.year);
    res.send(
      render('bureau/submission', {
        ...res.locals,
        officerView: true,
        sub,
        view: resultView(c!, localsOf(req).lang),
        diff: await s.submissions.diffWithPrevious(sub.id),
        recomputes: recomputesOf(await s.procedure.versionsOf(sub.check_id)),
        pending: sub.status === 'submitted' && !sub.superseded_by_version,
        deadlines,
        certificate: await s.procedure.certificateOfSubmission(sub.id),
        claim: await s.procedure.claimOfSubmission(sub.id),
        clashes: await officerClashes(s, localsOf(req).user, sub),
        decided: req.query.decided === undefined ? null : Number(req.query.decided) || 0,
      }),
    );
  });

  // one person, one unit, one month (docs/rules.md §4.2): the officer gives each month both units count to one
  r.post('/submissions/:id/clashes', async (req, res) => {
    const user = localsOf(req).user!;
    const sub = scoped(user, 'clash.decide', await scopedSubmission(req));
    if (sub.superseded_by_version) throw new DomainError('conflict', 'superseded', said('crossUnit.error.notFound'));
    const keepers: Record<number, 'here' | 'other'> = {};
    for (let m = 1; m <= 12; m++) {
      const v = req.body?.[`m${m}`];
      if (v === 'here' || v === 'other') keepers[m] = v;
    }
    const here = Number(req.body?.here),
      other = Number(req.body?.other);
    // the side named as this submission's must be one this submission counts
    const mine = (await s.crossUnit.clashesOfCheck(sub.check_id)).find(
      (c) => c.here.personId === here && c.other.personId === other,
    );
    if (!mine) throw new DomainError('conflict', 'no such clash', said('crossUnit.error.notFound'));
    // a decision recomputes a result as a new version: the first post says which unit keeps which months and
    // whose result is computed again, and asks again (UX.md §4), as 通过 and 退回 do
    if (req.body?.confirm !== '1') {
      const months = (side: 'here' | 'other') =>
        Object.entries(keepers)
          .filter(([, k]) => k === side)
          .map(([m]) => Number(m));
      const keeps = [
        { side: 'here' as const, name: mine.here.employerName, county: mine.here.county, months: months('here') },
        { side: 'other' as const, name: mine.other.employerName, county: mine.other.county, months: months('other') },
      ].filter((k) => k.months.length);
      res.send(
        render('bureau/clash-confirm', {
          ...res.locals,
          title: t('clashConfirm.title', localsOf(req).lang),
          sub,
          here,
          other,
          person: mine.here,
          keeps,
          // the unit that gives months up is the one whose result is computed again
          recomputed: keeps.map((k) => (k.side === 'here' ? mine.other : mine.here)),
          chosen: Object.entries(keepers).map(([m, k]) => ({ month: Number(m), keeper: k })),
        }),
      );
      return;
    }
    const out = await s.crossUnit.decide(user, here, other, keepers);
    res.redirect(
      303,
      `/bureau/submissions/${sub.id}?decided=${out.recomputed.filter((x) => x.version).length}#clashes`,
    );
  });

  r.get('/submissions/:id/report.xlsx', async (req, res) => {
    const sub = await scopedSubmission(req);
    await sendReportXlsx(res, resultView((await s.checks.byId(sub.check_id))!, localsOf(req).lang), localsOf(req).lang);
  });

  // 通过 and 退回 are irreversible: the first post shows what happens next and asks again (UX.md §4)
  for (const decision of ['accept', 'return'] as const) {
    r.post(`/submissions/:id/${decision}`, async (req, res) => {
      const user = localsOf(req).user;
      const sub = scoped(user, 'submission.review', await scopedSubmission(req));
      const reason = String(req.body?.reason ?? '').trim();
      if (req.body?.confirm !== '1' && sub.status === 'submitted' && (decision === 'accept' || reason)) {
        res.send(
          render('bureau/review-confirm', {
            ...res.locals,
            title: t(`bureau.review.confirm.${decision}`, localsOf(req).lang),
            sub,
            decision,
            accept: decision === 'accept',
            // a certificate without its issuing body is said before it is issued, never a silent gap
            noIssuer: decision === 'accept' && !(await s.countySettings.issuer(sub.county)).issuingBody,
            reason,
          }),
        );
        return;
      }
      await s.submissions.review(user!, sub.id, decision === 'accept' ? 'accepted' : 'returned', reason);
      res.redirect(303, `/bureau/submissions/${sub.id}`);
    });
  }

  r.get('/missing', allow('employer.list'), async (req, res) => {
    const user = localsOf(req).user!;
    const county = countyScope(user, req.query.county, 'employer.list');
    const year = dataYearOf(req.query.year);
    // the county's register of units for the year where it has one, else the employers with accounts
    const filed = new Set((await s.submissions.list({ county, year })).map((x) => x.uscc));
    const missing = await s.register.notFiled(county, year, filed, (c) => s.employers.inCounty(c));
    res.send(
      render('bureau/missing', {
        ...res.locals,
        year,
        county,
        missing,
        counties: reachOf(user, 'employer.list') === 'all' ? COUNTIES : null,
        registered: missing.some((m) => m.registered),
      }),
    );
  });

  // the parameters in force, in words; an administrator enters a new value through the parameter's own form
  const parametersPage = async (
    req: Request,
    res: Response,
    extra: { paramId?: string; problems?: FieldProblem[]; form?: Record<string, unknown> } = {},
  ) => {
    const date = extra.form ? queryDate(undefined) : queryDate(req.query.date);
    const p = await s.params.current();
    const lang = localsOf(req).lang;
    const defs = p.definitions();
    const rows = p.inForce(date).map((v) => ({
      title: p.definition(v.id).title[lang],
      key: keyLabel(p.definition(v.id).keyedBy, v.key, lang),
      value: valueInWords(v.id, v.value, lang),
      from: v.from,
      to: v.to ?? '',
      source: v.source,
    }));
    // docs/rules.md §16: until a data year's social average wage is entered, every levy of that year is provisional
    const dataYear = dataYearOf(undefined);
    const missingWage = [dataYear - 1, dataYear].filter(
      (y) => !p.inForce(`${y}-12-31`).some((v) => v.id === 'social-average-wage'),
    );
    const isAdmin = can(localsOf(req).user, 'parameters.add');
    const wanted = extra.paramId ?? (typeof req.query.add === 'string' ? req.query.add : 'social-average-wage');
    const def = defs.find((d) => d.id === wanted) ?? defs.find((d) => d.id === 'social-average-wage')!;
    const form = extra.form ?? {};
    const inForceNow = p.inForce(queryDate(undefined)).filter((v) => v.id === def.id);
    const entry = isAdmin
      ? {
          id: def.id,
          name: def.title[lang],
          keyChoices:
            def.keyedBy === 'county'
              ? COUNTIES.map((c) => ({ value: c, label: t(`place.${c}`, lang), selected: form.key === c }))
              : def.keyedBy === 'tier'
                ? ['1', '2', '3', '4'].map((k) => ({
                    value: k,
                    label: t('bureau.parameters.tierN', lang, { n: k }),
                    selected: form.key === k,
                  }))
                : null,
          keyLabel: def.keyedBy ? t(`bureau.parameters.field.${def.keyedBy}`, lang) : null,
          inForce: inForceNow.map((v) =>
            t('bureau.parameters.inForce', lang, {
              value:
                (v.key ? keyLabel(def.keyedBy, v.key, lang) + (lang === 'zh' ? '：' : ': ') : '') +
                valueInWords(def.id, v.value, lang),
              from: v.from,
            }),
          ),
          ratioHint: valueFields(def.id).some((f) => f.kind === 'percent'),
          fields: valueFields(def.id).map((f) => {
            const value = form[f.name];
            const chosen = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
            return {
              name: f.name,
              id: `pv-${f.name.replace(/\./g, '-')}`,
              label:
                f.kind === 'percent'
                  ? t('bureau.parameters.inPercent', lang, { label: fieldLabel(def.id, f, lang) })
                  : fieldLabel(def.id, f, lang),
              kind: f.kind,
              number: f.kind === 'number' || f.kind === 'percent',
              optional: f.optional,
              value: typeof value === 'string' ? value : '',
              options: f.options.map((o) => ({ value: o, label: choiceLabel(o, lang), selected: chosen.includes(o) })),
              choice: f.kind === 'choice',
              choices: f.kind === 'choices',
            };
          }),
          from: String(form.from ?? ''),
          to: String(form.to ?? ''),
          source: String(form.source ?? ''),
        }
      : null;
    const choices = defs.map((d) => ({ id: d.id, name: d.title[lang], selected: d.id === def.id }));
    return render('bureau/parameters', {
      ...res.locals,
      date,
      rows,
      isAdmin,
      entry,
      choices,
      problems: extra.problems,
      saved: typeof req.query.saved === 'string' ? req.query.saved : null,
      missingWage: missingWage.length ? missingWage.join(t('listSep', lang)) : null,
    });
  };

  r.get('/parameters', allow('parameters.read'), async (req, res) => {
    res.send(await parametersPage(req, res));
  });

  r.post('/parameters', allow('parameters.add'), async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const lang = localsOf(req).lang;
    const paramId = String(b.paramId ?? '');
    const def = (await s.params.current()).definitions().find((d) => d.id === paramId);
    const entry = {
      key: String(b.key ?? '').trim() || undefined,
      from: String(b.from ?? '').trim(),
      to: String(b.to ?? '').trim() || undefined,
      source: String(b.source ?? ''),
    };
    const value = valueFromForm(paramId, b);
    // the same schema that checks the parameter files checks the value (server/params/schema.ts)
    const problems = def
      ? [...entryProblems(def.keyedBy, entry, lang), ...valueFormProblems(paramId, value, lang)]
      : valueFormProblems(paramId, value, lang);
    if (!problems.length) {
      const out = await s.params.add(localsOf(req).user!, { paramId, ...entry, value });
      if (out.ok) {
        res.redirect(
          303,
          `/bureau/parameters?saved=${encodeURIComponent(paramId)}&add=${encodeURIComponent(paramId)}&date=${encodeURIComponent(entry.from)}`,
        );
        return;
      }
      problems.push(...out.problems.map((x) => ({ field: x.field[lang], message: x.message[lang] })));
    }
    res.status(422).send(await parametersPage(req, res, { paramId, problems, form: b }));
  });

  const settingsPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const lang = localsOf(req).lang;
    const policy = await s.retention.policy();
    const expiring = (await s.retention.expired(policy, todayInChina())).length;
    const counties = (await s.countySettings.all()).map((c) => ({
      ...c,
      complete: ISSUER_FIELDS.every((f) => !!c.issuer[f]),
      fields: ISSUER_FIELDS.map((f) => ({
        name: f,
        label: ISSUER_LABELS[f][lang],
        value: c.issuer[f] ?? '',
        type: f === 'telephone' ? 'tel' : 'text',
      })),
    }));
    const savedCounty = [req.query.county].find((c): c is string => typeof c === 'string') ?? null; // which county's form was just saved
    return render('bureau/settings', {
      ...res.locals,
      title: t('bureau.settings.settings', lang),
      policy,
      expiring,
      saved: req.query.saved === '1' && !savedCounty,
      savedCounty,
      counties,
      ...extra,
    });
  };

  r.get('/settings', allow('settings.manage'), async (req, res) => {
    res.send(await settingsPage(req, res));
  });

  r.post('/settings', allow('settings.manage'), async (req, res) => {
    const b = req.body ?? {};
    const p = await s.retention.setPolicy(localsOf(req).user!, {
      mode: b.mode,
      correctionWindowDays: Number(b.correctionWindowDays),
      days: Number(b.days),
      orphanDays: Number(b.orphanDays),
    });
    if (!p) {
      res.status(422).send(
        await settingsPage(req, res, {
          policy: { ...b },
          error: t('bureau.settings.retentionInvalid', localsOf(req).lang),
        }),
      );
      return;
    }
    res.redirect(303, '/bureau/settings?saved=1');
  });

  // each county's issuing body and objection contact (docs/rules.md §16): a form per county, every field checked
  r.post('/settings/counties/:county', allow('settings.manage'), async (req, res) => {
    const county = String(req.params.county);
    const problems = await s.countySettings.save(localsOf(req).user!, county, req.body ?? {});
    if (problems.length) {
      const lang = localsOf(req).lang;
      res
        .status(422)
        .send(await settingsPage(req, res, { countyErrors: { county, messages: problems.map((p) => p[lang]) } }));
      return;
    }
    res.redirect(
      303,
      `/bureau/settings?saved=1&county=${encodeURIComponent(county)}#county-${encodeURIComponent(county)}`,
    );
  });

  // the audit log in words: what was done, to what, by whom, at Beijing time
  r.get('/audit', allow('audit.read'), async (req, res) => {
    const lang = localsOf(req).lang;
    const p = await s.params.current();
    const rows = (await s.audit.list(300)).map((e) => {
      const [kind, n] = e.target.includes(':')
        ? [e.target.slice(0, e.target.indexOf(':')), e.target.slice(e.target.indexOf(':') + 1)]
        : [e.target, ''];
      const param = p.definitions().find((d) => d.id === e.target);
      const target = param
        ? param.title[lang]
        : kind === 'county'
          ? t(`place.${n}`, lang)
          : hasMessage(`audit.target.${kind}`)
            ? t(`audit.target.${kind}`, lang, { n })
            : '';
      return {
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: hasMessage(`audit.action.${e.action}`)
          ? t(`audit.action.${e.action}`, lang)
          : t('audit.action.other', lang),
        target,
        hash: String(e.hash ?? '').slice(0, 12),
      };
    });
    res.send(render('bureau/audit', { ...res.locals, rows }));
  });

  return r;
}

/** A county or a minimum-wage tier under its name. */
function keyLabel(keyedBy: string | undefined, key: string | undefined, lang: Lang): string {
  if (!key) return '';
  return keyedBy === 'tier' ? t('bureau.parameters.tierN', lang, { n: key }) : t(`place.${key}`, lang);
}

/** A parameter's value in words: a single figure as it is, a value with parts as "part: figure" pairs. */
function valueInWords(id: string, value: unknown, lang: Lang): string {
  const fields = valueFields(id);
  const form = formFromValue(id, value);
  const shown = (f: (typeof fields)[number]) => {
    const v = form[f.name];
    if (v === '') return t('bureau.parameters.none', lang);
    return f.kind === 'choices'
      ? v
          .split('|')
          .map((o) => choiceLabel(o, lang))
          .join('、')
      : f.kind === 'choice'
        ? choiceLabel(v, lang)
        : f.kind === 'percent'
          ? `${v} %`
          : v;
  };
  if (fields.length === 1 && fields[0].path.length === 0) return shown(fields[0]);
  return fields
    .map((f) => `${fieldLabel(id, f, lang)}${lang === 'zh' ? '：' : ': '}${shown(f)}`)
    .join(lang === 'zh' ? '；' : '; ');
}
