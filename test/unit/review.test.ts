// The pieces of the gate in review, in this process: the event payload read, the baseline chosen,
// acceptance read and applied, the comment written, a file read at a git ref.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src/findings.js'
import { renderComment } from '../../src/github/comment.js'
import { readRunContext } from '../../src/github/context.js'
import { gitBaselineSource } from '../../src/github/git-baseline.js'
import { applyAcceptance, entriesToAdd, readAcceptance } from '../../src/pipeline/acceptance.js'
import { decideBaseline } from '../../src/pipeline/baseline.js'
import type { Outcome } from '../../src/pipeline/run.js'

const SHA = 'a'.repeat(40)

describe('the event payload', () => {
  it('gives the pull request: number, base, repositories and labels', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'event-'))
    const file = path.join(dir, 'event.json')
    await writeFile(
      file,
      JSON.stringify({
        pull_request: { number: 9, base: { sha: SHA, repo: { full_name: 'acme/x' } }, head: { repo: { full_name: 'fork/x' } }, labels: [{ name: 'a' }, { name: 3 }, null] },
      }),
    )
    expect(readRunContext({ GITHUB_EVENT_PATH: file, GITHUB_REPOSITORY: 'acme/x' }).pullRequest).toEqual({
      number: 9,
      baseSha: SHA,
      labels: ['a'],
      headRepository: 'fork/x',
      baseRepository: 'acme/x',
    })
  })

  it('gives nothing for another event, a payload that is not JSON, or a base that is not a sha', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'event-'))
    for (const [name, text] of [
      ['push.json', '{"ref": "refs/tags/v1"}'],
      ['bad.json', '{'],
      ['short.json', JSON.stringify({ pull_request: { number: 1, base: { sha: 'abc' } } })],
    ]) {
      await writeFile(path.join(dir, name!), text!)
      expect(readRunContext({ GITHUB_EVENT_PATH: path.join(dir, name!) }).pullRequest).toBeUndefined()
    }
    await writeFile(path.join(dir, 'group.json'), JSON.stringify({ merge_group: { base_sha: SHA } }))
    expect(readRunContext({ GITHUB_EVENT_PATH: path.join(dir, 'group.json') }).mergeGroupBase).toBe(SHA)
  })
})

describe('decideBaseline', () => {
  const pr = { number: 7, baseSha: SHA, labels: [] }
  it.each([
    [{ kind: 'auto' }, 'file', { pullRequest: pr }, { kind: 'git', ref: SHA, label: 'git:aaaaaaa (base of #7)' }],
    [{ kind: 'auto' }, 'file', { mergeGroupBase: SHA }, { kind: 'git', ref: SHA, label: 'git:aaaaaaa (base of the merge group)' }],
    [{ kind: 'auto' }, 'file', { ref: 'refs/tags/v1.0.0' }, { kind: 'live' }],
    [{ kind: 'auto' }, 'image', { pullRequest: pr }, { kind: 'live' }],
    [{ kind: 'git', ref: 'v1.2.0' }, 'file', { pullRequest: pr }, { kind: 'git', ref: 'v1.2.0', label: 'git:v1.2.0' }],
    [{ kind: 'none' }, 'file', { pullRequest: pr }, { kind: 'none' }],
  ] as const)('%j with schemas from %s → %j', (baseline, schemasFrom, context, expected) => {
    expect(decideBaseline({ baseline, schemasFrom }, context)).toEqual(expected)
  })
})

function change(fingerprint: string, breaking = true): Finding {
  return {
    severity: 'warning',
    rule: 'maximum-lowered',
    message: 'm',
    pointer: '/p',
    file: 'schemas.json',
    line: 1,
    column: 1,
    change: { section: 'prediction', side: 'input', breaking, livePointer: '/p', fingerprint },
  }
}

describe('acceptance', () => {
  async function withFile(text: string | undefined, labels: string[] = []) {
    const dir = await mkdtemp(path.join(tmpdir(), 'accept-'))
    if (text !== undefined) {
      await mkdir(path.join(dir, '.github'))
      await writeFile(path.join(dir, '.github/accepted-changes.json'), text)
    }
    return readAcceptance(
      { acceptLabel: 'ok-to-break', acceptedChanges: '.github/accepted-changes.json', fileRoot: dir },
      { pullRequest: { number: 1, baseSha: SHA, labels } },
      '2026-12-05',
    )
  }

  it('accepts by entry, marks the change, and warns of entries that accept nothing, at their lines', async () => {
    const acceptance = await withFile(
      '{"accepted": [\n  {"fingerprint": "aaaaaaaaaaaa", "reason": "planned"},\n  {"fingerprint": "bbbbbbbbbbbb", "reason": ""},\n  {"fingerprint": "cccccccccccc", "reason": "old", "expires": "2026-01-01"},\n  {"fingerprint": "dddddddddddd", "reason": "unused"}\n]}\n',
    )
    const changes = [change('aaaaaaaaaaaa'), change('bbbbbbbbbbbb'), change('eeeeeeeeeeee', false)]
    expect(applyAcceptance(changes, acceptance)).toBe(1)
    expect(changes[0]!.change!.accepted).toEqual({ by: 'file', reason: 'planned' })
    expect(changes[0]!.severity).toBe('notice')
    expect(changes[1]!.change!.accepted).toBeUndefined()
    expect(acceptance.findings.map((f) => `${f.severity} ${f.line}:${f.column} ${f.message}`)).toEqual([
      'warning 3:3 bbbbbbbbbbbb has no reason, so it accepts nothing; say why the break is intended',
      'warning 4:52 cccccccccccc expired on 2026-01-01, so it accepts nothing',
      'warning 5:3 dddddddddddd matches no change in this comparison',
    ])
    expect(entriesToAdd(changes)).toBe('{"accepted": [\n    {"fingerprint": "bbbbbbbbbbbb", "reason": "…"}\n]}')
  })

  it('accepts every breaking change by the label', async () => {
    const acceptance = await withFile(undefined, ['ok-to-break'])
    const changes = [change('aaaaaaaaaaaa'), change('ffffffffffff')]
    expect(applyAcceptance(changes, acceptance)).toBe(2)
    expect(changes.map((c) => c.change!.accepted)).toEqual([
      { by: 'label', label: 'ok-to-break' },
      { by: 'label', label: 'ok-to-break' },
    ])
  })

  it.each([
    ['{"accepted": {}}', 'error 1:1 the accepted-changes file must be {"accepted": [{"fingerprint": "…", "reason": "…", "expires": "YYYY-MM-DD"}]}'],
    ['{"accepted": [{"fingerprint": "xyz", "reason": "r"}]}', 'error 1:16 a fingerprint is 12 hex characters, as a failing run prints it'],
    ['{"accepted": [{"fingerprint": "aaaaaaaaaaaa", "reason": "r", "expires": "soon"}]}', 'error 1:62 "expires" is a date, YYYY-MM-DD'],
    ['{"accepted": [{"fingerprint": "aaaaaaaaaaaa", "reason": "r", "why": 1}]}', 'error 1:62 unknown key "why"; an entry has "fingerprint", "reason" and "expires"'],
    ['{"accepted": [1]}', 'error 1:15 an entry must be an object with "fingerprint" and "reason"'],
  ])('refuses %s at its place', async (text, finding) => {
    const acceptance = await withFile(text)
    expect(acceptance.findings.map((f) => `${f.severity} ${f.line}:${f.column} ${f.message}`)).toEqual([finding])
  })

  it('reports a file that is not JSON as an error at its position', async () => {
    const acceptance = await withFile('{"accepted": [\n  {"fingerprint": 799b}\n]}')
    expect(acceptance.findings).toHaveLength(1)
    expect(acceptance.findings[0]).toMatchObject({ severity: 'error', rule: 'accepted-changes', line: 2 })
  })
})

describe('the pull-request comment', () => {
  const outcome = (extra: Partial<Outcome['plan']>, failure?: string): Outcome =>
    ({ plan: { findings: [], changes: [], breaking: 0, accepted: 0, schemasFile: 'schemas.json', ...extra }, warnings: [], ...(failure && { failure }) }) as unknown as Outcome

  it('heads with the verdict and lists each break with its fingerprint, its markup defused', () => {
    const breaking = { ...change('aaaaaaaaaaaa'), message: 'input "x_*<b>*" no longer accepts @team' }
    const body = renderComment(outcome({ changes: [breaking], breaking: 1, comparedWith: 'git:abc (base of #7)' }), 'acme/x', 'https://github.com/acme/x/actions/runs/1')
    expect(body).toBe(
      [
        '### ⚠️ acme/x: 1 breaking change against git:abc (base of \\#7) needs acceptance',
        '',
        '- **breaking** `maximum-lowered` `aaaaaaaaaaaa` schemas.json:1:1: input "x\\_\\*\\<b\\>\\*" no longer accepts @\u200bteam',
        '',
        'To accept a planned break, label the pull request or add its fingerprint, with a reason, to the accepted-changes file.',
        '',
        '[The run](https://github.com/acme/x/actions/runs/1)',
        '',
      ].join('\n'),
    )
  })

  it('says when there are no problems, and stays under its size', () => {
    expect(renderComment(outcome({ comparedWith: 'acme/x:3' }), 'acme/x')).toBe('### ✅ acme/x: no problems against acme/x:3\n\n')
    const many = Array.from({ length: 2000 }, (_, i) => ({ ...change(i.toString(16).padStart(12, '0')), message: 'x'.repeat(60) }))
    const body = renderComment(outcome({ changes: many, breaking: many.length }, `${many.length} breaking changes`), 'acme/x')
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(body).toMatch(/… \d+ more in the job summary/)
  })
})

describe('a file at a git ref', () => {
  it('reads the file at a ref, undefined where it does not exist, and refuses a ref that is not there', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'git-ref-'))
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: dir, stdio: 'ignore' })
    git('init', '-q')
    await writeFile(path.join(dir, 'schemas.json'), '{"v": 1}')
    git('add', '.')
    git('commit', '-q', '-m', 'one')
    await writeFile(path.join(dir, 'schemas.json'), '{"v": 2}')
    git('commit', '-q', '-am', 'two')
    const source = gitBaselineSource({ workspace: dir }, undefined)
    expect(await source.readAt('HEAD~1', 'schemas.json')).toBe('{"v": 1}')
    expect(await source.readAt('HEAD~1', 'other.json')).toBeUndefined()
    await expect(source.readAt('no-such-ref', 'schemas.json')).rejects.toThrow(/git fetch failed/)
  })
})
