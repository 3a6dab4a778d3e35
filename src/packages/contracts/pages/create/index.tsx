import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ContractView, FieldInput } from '@api/contracts.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { pageDisplayWidth } from '@/components/contract-pages'
import FieldPlacer, { newBoxRect, type PlacedBox } from '@/components/field-placer'
import { useAction } from '@/hooks/use-action'
import { contractsApi, newIdempotencyKey } from '@/services/contracts-api'
import { pickPdf, pickPdfHint } from '@/services/platform/pick-pdf'
import { getActingContext, requireLogin } from '@/services/session'
import DateCell from '../../components/date-cell'
import { guessPageSize, pngSize, type PageSize, type PointRect } from '@/components/field-placer/geometry'
import {
  FIELD_LABELS,
  FIELD_SIZES,
  addDays,
  buildCreateRequest,
  checkDocument,
  checkFields,
  checkParties,
  checkSchedule,
  emptyWizard,
  kindsFor,
  nextId,
  partyColour,
  partyLabel,
  REMINDER_PRESETS,
  signers,
  type FieldKind,
  type OrderMode,
  type PartyDraft,
  type WizardState,
} from '../../lib/wizard'
import '../../contracts.css'

const STEPS = ['上传文件', '签署方', '签署位置', '发送']
const SELF = '/packages/contracts/pages/create/index'

/**
 * 发起签署: upload a PDF, name it, add parties and their order, place each signer's fields by
 * dragging them on the page images, set the deadline and the validity end, send. The draft is
 * created after the parties step (so its pages can be shown) and updated with the fields before sending.
 */
export default function CreateContract() {
  const [s, setS] = useState<WizardState>(() => emptyWizard(new Date()))
  const [step, setStep] = useState(0)
  const [fileName, setFileName] = useState('')
  const [progress, setProgress] = useState<number>()
  const [draft, setDraft] = useState<ContractView>()
  const [pageNo, setPageNo] = useState(0)
  const [activeParty, setActiveParty] = useState<string>()
  const [selected, setSelected] = useState<string>()
  const [problems, setProblems] = useState<string[]>([])
  /** Page sizes learnt from the page images while the draft's view does not list them. */
  const [probed, setProbed] = useState<PageSize[]>([])
  const probing = useRef<string>()
  const pages: PageSize[] = draft?.pages.length ? draft.pages : probed
  const action = useAction()
  const width = useRef(pageDisplayWidth()).current
  const context = useRef(getActingContext()).current
  const senderCompanyId = context.kind === 'company' ? context.companyId : undefined

  useEffect(() => {
    requireLogin(SELF)
  }, [])

  const patch = (p: Partial<WizardState>) => setS((old) => ({ ...old, ...p }))
  const setParty = (id: string, p: Partial<PartyDraft>) => setS((old) => ({ ...old, parties: old.parties.map((x) => (x.partyId === id ? { ...x, ...p } : x)) }))

  // ---- step 1: file
  const chooseFile = () =>
    action.run(async () => {
      const picked = await pickPdf()
      if (!picked) return
      if (!/\.pdf$/i.test(picked.name)) throw new Error('请选择 PDF 格式的合同文件')
      setFileName(picked.name)
      setProgress(0)
      const doc = await contractsApi.uploadDocument(picked.filePath, picked.name, setProgress)
      setProgress(100)
      setDraft(undefined)
      setS((old) => ({ ...old, documentId: doc.id, title: old.title || picked.name.replace(/\.pdf$/i, '').slice(0, 200), fields: [] }))
    })

  // ---- step 2: parties
  const addParty = (kind: 'person' | 'company') =>
    setS((old) => {
      const partyId = nextId('p', old.parties.map((p) => p.partyId))
      return { ...old, parties: [...old.parties, { partyId, kind, role: 'signer', name: '', phone: '', companyName: '' }], groups: { ...old.groups, [partyId]: 1 } }
    })
  const removeParty = (id: string) => setS((old) => ({ ...old, parties: old.parties.filter((p) => p.partyId !== id), fields: old.fields.filter((f) => f.partyId !== id) }))

  /** Creates the draft (or updates it) so the pages can be shown; fields stay those placed so far. */
  const saveDraft = async (state: WizardState) => {
    const body = buildCreateRequest(state, senderCompanyId)
    const view = draft ? await contractsApi.update(draft.contractId, body) : await contractsApi.create(body)
    setDraft(view)
    if (view.pages.length === 0 && probing.current !== `${view.contractId}:${state.documentId}`) void probePages(view.contractId, `${view.contractId}:${state.documentId}`)
    return view
  }

  /**
   * A draft's view may come without its page sizes (the server knows them once sent): then the
   * pages are learnt one by one from their images until one does not exist.
   */
  const probePages = async (contractId: string, key: string) => {
    probing.current = key
    setProbed([])
    const sizes: PageSize[] = []
    for (let page = 0; page < 200 && probing.current === key; page++) {
      const png = await contractsApi.pagePng(contractId, page)
      const px = png && pngSize(png)
      if (!px) break
      sizes.push(guessPageSize(px.width, px.height))
      setProbed([...sizes])
    }
  }

  const next = () => {
    const checks = [checkDocument, checkParties, (st: WizardState) => checkFields(st, pages), (st: WizardState) => checkSchedule(st, new Date())]
    const found = checks[step]!(s)
    setProblems(found)
    if (found.length) return
    if (step === 1) {
      void action.run(async () => {
        // Fields of signers that were removed or turned into cc are dropped before saving.
        const ids = new Set(signers(s).map((p) => p.partyId))
        const state = { ...s, fields: s.fields.filter((f) => ids.has(f.partyId)) }
        setS(state)
        await saveDraft(state)
        setActiveParty((p) => (p && ids.has(p) ? p : signers(state)[0]?.partyId))
        setStep(2)
      })
      return
    }
    setStep(step + 1)
  }

  // ---- step 3: fields
  const party = s.parties.find((p) => p.partyId === activeParty)
  const addField = (kind: FieldKind) => {
    if (!party) return
    const fieldId = nextId('f', s.fields.map((f) => f.fieldId))
    let field: FieldInput
    if (kind === 'cross-page-seal') field = { kind, fieldId, partyId: party.partyId, size: 119 }
    else {
      const size = FIELD_SIZES[kind]
      const page = pages[pageNo]
      if (!page) return
      // A new field starts near the middle of the page, clear of the fields already there, then is dragged into place.
      const rect = newBoxRect(size, s.fields.flatMap((f) => (f.kind !== 'cross-page-seal' ? [f] : [])), pageNo, page)
      const placed = { fieldId, partyId: party.partyId, page: pageNo, rect }
      field =
        kind === 'text' ? { ...placed, kind, required: true, maxLength: 100 } : kind === 'checkbox' ? { ...placed, kind, required: false } : ({ ...placed, kind } as FieldInput)
    }
    patch({ fields: [...s.fields, field] })
    setSelected(fieldId)
  }
  const removeField = (id: string) => {
    patch({ fields: s.fields.filter((f) => f.fieldId !== id) })
    setSelected(undefined)
  }

  const moveField = (fieldId: string, rect: PointRect) =>
    setS((old) => ({ ...old, fields: old.fields.map((f) => (f.fieldId === fieldId && f.kind !== 'cross-page-seal' ? { ...f, rect } : f)) }))
  const boxes: PlacedBox[] = s.fields.flatMap((f) =>
    f.kind === 'cross-page-seal' ? [] : [{ id: f.fieldId, page: f.page, rect: f.rect, colour: partyColour(signers(s), f.partyId), label: f.kind === 'checkbox' ? '☐' : FIELD_LABELS[f.kind] }],
  )

  // ---- step 4: send
  const send = (thenSign: boolean) => {
    const found = checkSchedule(s, new Date())
    setProblems(found)
    if (found.length || !draft) return
    void action.run(async () => {
      const saved = await contractsApi.update(draft.contractId, buildCreateRequest(s, senderCompanyId))
      const sent = await contractsApi.send(saved.contractId, newIdempotencyKey())
      const url = thenSign && sent.me.canSign ? `/packages/signing/pages/sign/index?contractId=${sent.contractId}` : `/packages/contracts/pages/detail/index?contractId=${sent.contractId}`
      await Taro.redirectTo({ url })
    })
  }

  const orderModes: { mode: OrderMode; label: string }[] = [
    { mode: 'sequential', label: '依次签署' },
    { mode: 'parallel', label: '同时签署' },
    { mode: 'groups', label: '分批签署' },
  ]

  return (
    <View className='page create'>
      <View className='steps' id='create-steps'>
        {STEPS.map((label, i) => (
          <View key={label} className={`steps__item ${i === step ? 'steps__item--on' : ''} ${i < step ? 'steps__item--done' : ''}`}>
            <Text className='steps__no'>{i < step ? '✓' : i + 1}</Text>
            <Text className='steps__label'>{label}</Text>
          </View>
        ))}
      </View>

      {step === 0 && (
        <View className='card' id='create-step-file'>
          <Text className='card__title'>合同文件</Text>
          <Text className='card__line muted'>{pickPdfHint}</Text>
          <Button id='create-choose-file' className='btn-block' type='primary' fill={s.documentId ? 'outline' : 'solid'} loading={action.busy} onClick={() => void chooseFile()}>
            {s.documentId ? '重新选择文件' : '选择 PDF 文件'}
          </Button>
          {fileName && (
            <View className='upload' id='create-upload'>
              <Text className='card__line'>{fileName}</Text>
              <View className='upload__bar'>
                <View className='upload__fill' style={{ width: `${progress ?? 0}%` }} />
              </View>
              <Text className='card__line muted' id='create-upload-state'>
                {s.documentId ? '✓ 上传完成' : `上传中 ${progress ?? 0}%`}
              </Text>
            </View>
          )}
          <Field id='create-title' label='合同名称' value={s.title} maxLength={200} placeholder='例如：房屋租赁合同' onChange={(title) => patch({ title })} />
          <Field id='create-note' label='备注（选填）' value={s.note} maxLength={1000} placeholder='给签署方的说明' onChange={(note) => patch({ note })} />
          <Text className='card__line muted create__sender'>发起方：{context.kind === 'company' ? `${context.companyName}（企业）` : '个人'}</Text>
        </View>
      )}

      {step === 1 && (
        <View id='create-step-parties'>
          {s.parties.map((p, i) => (
            <View key={p.partyId} className='card party' id={`party-${i}`} style={{ borderLeftColor: partyColour(signers(s), p.partyId) }}>
              <View className='party__head'>
                <Text className='card__title'>签署方 {i + 1}</Text>
                <Text className='link party__remove' id={`party-${i}-remove`} onClick={() => removeParty(p.partyId)}>
                  删除
                </Text>
              </View>
              <View className='seg'>
                {(['person', 'company'] as const).map((k) => (
                  <Text key={k} className={`seg__item ${p.kind === k ? 'seg__item--on' : ''}`} id={`party-${i}-${k}`} onClick={() => setParty(p.partyId, { kind: k })}>
                    {k === 'person' ? '个人' : '企业'}
                  </Text>
                ))}
                {(['signer', 'cc'] as const).map((r) => (
                  <Text key={r} className={`seg__item ${p.role === r ? 'seg__item--on' : ''}`} id={`party-${i}-${r}`} onClick={() => setParty(p.partyId, { role: r })}>
                    {r === 'signer' ? '签署' : '抄送'}
                  </Text>
                ))}
              </View>
              {p.kind === 'company' && <Field id={`party-${i}-company`} label='企业名称' value={p.companyName} maxLength={100} placeholder='营业执照上的名称' onChange={(companyName) => setParty(p.partyId, { companyName })} />}
              <Field id={`party-${i}-name`} label={p.kind === 'company' ? '经办人姓名' : '姓名'} value={p.name} maxLength={60} placeholder='真实姓名' onChange={(name) => setParty(p.partyId, { name })} />
              <Field id={`party-${i}-phone`} label='手机号' type='number' value={p.phone} maxLength={11} placeholder='接收签署短信' onChange={(phone) => setParty(p.partyId, { phone })} />
              {s.orderMode === 'groups' && p.role === 'signer' && (
                <View className='row party__group'>
                  <Text className='field__label'>签署批次</Text>
                  <Button size='small' id={`party-${i}-group-minus`} onClick={() => patch({ groups: { ...s.groups, [p.partyId]: Math.max(1, (s.groups[p.partyId] ?? 1) - 1) } })}>
                    －
                  </Button>
                  <Text id={`party-${i}-group`}>第 {s.groups[p.partyId] ?? 1} 批</Text>
                  <Button size='small' id={`party-${i}-group-plus`} onClick={() => patch({ groups: { ...s.groups, [p.partyId]: Math.min(50, (s.groups[p.partyId] ?? 1) + 1) } })}>
                    ＋
                  </Button>
                </View>
              )}
            </View>
          ))}
          <View className='actions'>
            <Button id='create-add-person' type='primary' fill='outline' onClick={() => addParty('person')}>
              ＋ 添加个人
            </Button>
            <Button id='create-add-company' type='primary' fill='outline' onClick={() => addParty('company')}>
              ＋ 添加企业
            </Button>
          </View>
          <View className='card'>
            <Text className='card__title'>签署顺序</Text>
            <View className='seg'>
              {orderModes.map((o) => (
                <Text key={o.mode} className={`seg__item ${s.orderMode === o.mode ? 'seg__item--on' : ''}`} id={`create-order-${o.mode}`} onClick={() => patch({ orderMode: o.mode })}>
                  {o.label}
                </Text>
              ))}
            </View>
            <Text className='card__line muted'>
              {s.orderMode === 'sequential' ? '按上面的先后顺序逐个签署。' : s.orderMode === 'parallel' ? '所有签署人同时收到通知，不分先后。' : '同一批次的签署人同时签署，批次之间依次进行。'}
            </Text>
          </View>
        </View>
      )}

      {step === 2 && draft && (
        <View id='create-step-fields'>
          <View className='card'>
            <Text className='card__title'>为谁放置</Text>
            <View className='chips'>
              {signers(s).map((p) => (
                <Text
                  key={p.partyId}
                  className={`chip ${activeParty === p.partyId ? 'chip--on' : ''}`}
                  id={`create-signer-${p.partyId}`}
                  style={{ color: partyColour(signers(s), p.partyId), borderColor: partyColour(signers(s), p.partyId) }}
                  onClick={() => setActiveParty(p.partyId)}
                >
                  {partyLabel(p)}
                </Text>
              ))}
            </View>
            {party && (
              <View className='chips'>
                {kindsFor(party).map((k) => (
                  <Button key={k} size='small' type='primary' fill='outline' id={`create-add-${k}`} onClick={() => addField(k)}>
                    ＋{FIELD_LABELS[k]}
                  </Button>
                ))}
              </View>
            )}
            <Text className='card__line muted'>点击上方按钮添加到当前页，再拖动到合适位置。</Text>
          </View>

          <FieldPlacer
            idPrefix='create'
            pages={pages}
            pageNo={pageNo}
            onPage={setPageNo}
            imagePath={(page, w) => contractsApi.pagePath(draft.contractId, page, w)}
            imageVersion={draft.contractId}
            width={width}
            boxes={boxes}
            selected={selected}
            onSelect={setSelected}
            onMove={moveField}
          />

          <View className='card' id='create-field-list'>
            <Text className='card__title'>已放置 {s.fields.length} 个</Text>
            {s.fields.map((f) => {
              const owner = s.parties.find((p) => p.partyId === f.partyId)
              return (
                <View key={f.fieldId} className={`field-row ${selected === f.fieldId ? 'field-row--on' : ''}`} onClick={() => f.kind !== 'cross-page-seal' && (setPageNo(f.page), setSelected(f.fieldId))}>
                  <Text className='field-row__dot' style={{ background: partyColour(signers(s), f.partyId) }} />
                  <Text className='field-row__text'>
                    {owner ? partyLabel(owner) : ''} · {FIELD_LABELS[f.kind]}
                    {f.kind === 'cross-page-seal' ? '（盖在每页右侧边缘）' : ` · 第 ${f.page + 1} 页`}
                  </Text>
                  {f.kind === 'text' && (
                    <Text className='link field-row__opt' onClick={() => patch({ fields: s.fields.map((x) => (x.fieldId === f.fieldId && x.kind === 'text' ? { ...x, required: !x.required } : x)) })}>
                      {f.required ? '必填' : '选填'}
                    </Text>
                  )}
                  <Text className='link field-row__del' id={`create-remove-${f.fieldId}`} onClick={() => removeField(f.fieldId)}>
                    删除
                  </Text>
                </View>
              )
            })}
          </View>
        </View>
      )}

      {step === 3 && draft && (
        <View className='card' id='create-step-send'>
          <Text className='card__title'>{s.title}</Text>
          <Text className='card__line muted'>
            {signers(s).length} 位签署人 · {s.fields.length} 个签署位置
          </Text>
          <DateCell id='create-deadline' title='签署截止日期' value={s.deadline} min={new Date()} onChange={(deadline) => patch({ deadline })} />
          <DateCell id='create-valid-until' title='合同到期日期（选填）' value={s.validUntil} placeholder='不设置' min={new Date()} clearable onChange={(validUntil) => patch({ validUntil })} />
          {s.validUntil && (
            <View id='create-validity-notice'>
              <Text className='field__label'>到期提醒（到期前 30、7、1 天）</Text>
              <View className='seg'>
                <Text id='create-validity-notice-me' className={`seg__item ${s.validityNoticeToParties ? '' : 'seg__item--on'}`} onClick={() => patch({ validityNoticeToParties: false })}>
                  仅提醒我
                </Text>
                <Text id='create-validity-notice-all' className={`seg__item ${s.validityNoticeToParties ? 'seg__item--on' : ''}`} onClick={() => patch({ validityNoticeToParties: true })}>
                  同时提醒所有签署方
                </Text>
              </View>
            </View>
          )}
          <View id='create-reminders'>
            <Text className='field__label'>自动催办</Text>
            <View className='seg'>
              {REMINDER_PRESETS.map((p) => (
                <Text key={p.key} id={`create-reminders-${p.key}`} className={`seg__item ${(s.reminders ?? 'default') === p.key ? 'seg__item--on' : ''}`} onClick={() => patch({ reminders: p.key })}>
                  {p.label}
                </Text>
              ))}
            </View>
            <Text className='card__line muted'>{REMINDER_PRESETS.find((p) => p.key === (s.reminders ?? 'default'))!.hint}</Text>
          </View>
          <Text className='card__line muted'>截止日期当天 23:59（北京时间）后未签署的合同将自动过期。默认 {addDays(new Date(), 7)}。</Text>
          <Button id='create-send' className='btn-block' type='primary' loading={action.busy} onClick={() => send(false)}>
            发送
          </Button>
          {draft.me.partyId && (
            <Button id='create-send-sign' className='btn-block' type='primary' fill='outline' loading={action.busy} onClick={() => send(true)}>
              发送并立即签署
            </Button>
          )}
        </View>
      )}

      {problems.length > 0 && (
        <View className='error' id='create-problems' {...({ role: 'alert' } as Record<string, string>)}>
          {problems.map((p) => (
            <Text key={p} className='card__line'>
              {p}
            </Text>
          ))}
        </View>
      )}
      <ErrorText error={action.error} id='create-error' />

      {step < 3 && (
        <View className='actions create__nav'>
          {step > 0 && (
            <Button id='create-back' type='default' onClick={() => (setProblems([]), setStep(step - 1))}>
              上一步
            </Button>
          )}
          <Button id='create-next' type='primary' loading={action.busy} onClick={next}>
            下一步
          </Button>
        </View>
      )}
      {step === 3 && (
        <View className='actions create__nav'>
          <Button id='create-back' type='default' onClick={() => (setProblems([]), setStep(2))}>
            上一步
          </Button>
        </View>
      )}
    </View>
  )
}
