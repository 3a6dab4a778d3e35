import { useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { TemplateFieldInput, TemplatePlaceholderInput, TemplateRoleInput, TemplateView } from '@api/templates.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { pageDisplayWidth } from '@/components/contract-pages'
import FieldPlacer, { newBoxRect, type PlacedBox } from '@/components/field-placer'
import { colourAt, PLACEHOLDER_COLOUR } from '@/components/field-placer/colours'
import { clampToPage, guessPageSize, pngSize, type PageSize } from '@/components/field-placer/geometry'
import { useAction } from '@/hooks/use-action'
import { contractsApi } from '@/services/contracts-api'
import { pickPdf, pickPdfHint } from '@/services/platform/pick-pdf'
import { requireLogin } from '@/services/session'
import { templatesApi } from '@/services/templates-api'
import '../../templates.css'

type Rect = [number, number, number, number]
const num = (v: string, fallback: number) => (Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : fallback)
const nextId = (prefix: string, taken: string[]) => {
  for (let i = 1; ; i++) if (!taken.includes(`${prefix}${i}`)) return `${prefix}${i}`
}
/** Sizes in points of a new box (as the send wizard's). */
const SIZES = { signature: { width: 120, height: 50 }, seal: { width: 119, height: 119 }, date: { width: 110, height: 22 }, placeholder: { width: 160, height: 20 } }
const KIND_LABELS: Record<string, string> = { signature: '签名', seal: '盖章', date: '签署日期', text: '填写', checkbox: '勾选' }
const placeholderId = (i: number) => `ph-${i}`

/** Number inputs for the selected box (fine adjustment after dragging): page (1-based on screen), x, y, width, height in points. */
function BoxInputs({ id, page, rect, onChange }: { id: string; page: number; rect: Rect; onChange: (page: number, rect: Rect) => void }) {
  const [x, y, w, h] = rect
  return (
    <View className='templates__adjust'>
      <Field id={`${id}-page`} label='页码' type='number' placeholder='1' value={String(page + 1)} onChange={(v) => onChange(Math.max(0, num(v, page + 1) - 1), rect)} />
      <Field id={`${id}-x`} label='左边距' type='number' placeholder='72' value={String(x)} onChange={(v) => onChange(page, [num(v, x), y, w, h])} />
      <Field id={`${id}-y`} label='下边距' type='number' placeholder='700' value={String(y)} onChange={(v) => onChange(page, [x, num(v, y), w, h])} />
      <Field id={`${id}-w`} label='宽' type='number' placeholder='200' value={String(w)} onChange={(v) => onChange(page, [x, y, Math.max(1, num(v, w)), h])} />
      <Field id={`${id}-h`} label='高' type='number' placeholder='20' value={String(h)} onChange={(v) => onChange(page, [x, y, w, Math.max(1, num(v, h))])} />
    </View>
  )
}

/**
 * 新建 / 编辑模板 (company admins): the contract file, the roles (甲方, 乙方, …; one of them the
 * sender), each role's signature, seal and date boxes, and the fill-in placeholders with their
 * boxes (points from the bottom-left corner of the page). Saving an existing template makes a new
 * version; contracts already made keep theirs.
 */
export default function TemplateEditorPage() {
  const { params } = useRouter()
  const companyId = params.companyId ?? ''
  const templateId = params.templateId
  const [loaded, setLoaded] = useState<TemplateView>()
  const [name, setName] = useState('')
  const [documentId, setDocumentId] = useState('')
  const [fileName, setFileName] = useState('')
  const [roles, setRoles] = useState<TemplateRoleInput[]>([
    { roleId: 'jia', label: '甲方', kind: 'company', sender: true },
    { roleId: 'yi', label: '乙方', kind: 'person' },
  ])
  const [fields, setFields] = useState<TemplateFieldInput[]>([])
  const [placeholders, setPlaceholders] = useState<TemplatePlaceholderInput[]>([])
  const [pageNo, setPageNo] = useState(0)
  const [selected, setSelected] = useState<string>()
  /** Page sizes of a new upload, learnt from its page images (a saved template's come with it). */
  const [probed, setProbed] = useState<{ documentId: string; pages: PageSize[] }>()
  const probing = useRef<string>()
  const width = useRef(pageDisplayWidth()).current
  const action = useAction()
  const { busy, run } = action
  const savedDocument = !!loaded && documentId === loaded.documentId
  const pages: PageSize[] = savedDocument ? loaded.pages : probed?.documentId === documentId ? probed.pages : []

  useDidShow(() => {
    if (!requireLogin(`/packages/templates/pages/editor/index?companyId=${companyId}${templateId ? `&templateId=${templateId}` : ''}`)) return
    if (!templateId || loaded) return
    void run(async () => {
      const t = await templatesApi.get(templateId)
      setLoaded(t)
      setName(t.name)
      setDocumentId(t.documentId)
      setFileName(t.fileName)
      setRoles(t.roles)
      setFields(t.fields)
      setPlaceholders(t.placeholders)
    })
  })

  const chooseFile = () =>
    run(async () => {
      const picked = await pickPdf()
      if (!picked) return
      if (!/\.pdf$/i.test(picked.name)) throw new Error('请选择 PDF 格式的合同文件')
      const doc = await contractsApi.uploadDocument(picked.filePath, picked.name)
      setDocumentId(doc.id)
      setFileName(picked.name)
      setPageNo(0)
      if (!name) setName(picked.name.replace(/\.pdf$/i, '').slice(0, 100))
      if (doc.id !== loaded?.documentId) void probePages(doc.id)
    })

  /** The pages of a new upload, one by one from their images until one does not exist (as the send wizard's drafts). */
  const probePages = async (id: string) => {
    probing.current = id
    const sizes: PageSize[] = []
    setProbed({ documentId: id, pages: [] })
    for (let page = 0; page < 200 && probing.current === id; page++) {
      const png = await templatesApi.documentPagePng(id, page)
      const px = png && pngSize(png)
      if (!px) break
      sizes.push(guessPageSize(px.width, px.height))
      setProbed({ documentId: id, pages: [...sizes] })
    }
  }

  /** Where a new box of `size` goes: on the page shown, near its middle, clear of the others. */
  const newRect = (size: { width: number; height: number }): { page: number; rect: Rect } => {
    const page = pages[pageNo]
    if (!page) return { page: 0, rect: [72, 700, size.width, size.height] }
    const taken = [...fields.flatMap((f) => ('rect' in f ? [{ page: f.page, rect: f.rect }] : [])), ...placeholders]
    return { page: pageNo, rect: newBoxRect(size, taken, pageNo, page) }
  }

  const setRole = (roleId: string, patch: Partial<TemplateRoleInput>) => setRoles((rs) => rs.map((r) => (r.roleId === roleId ? { ...r, ...patch } : r)))
  const makeSender = (roleId: string) => setRoles((rs) => rs.map(({ sender: _s, ...r }) => (r.roleId === roleId ? { ...r, sender: true as const } : r)))
  const addRole = () => setRoles((rs) => [...rs, { roleId: nextId('r', rs.map((r) => r.roleId)), label: `第${rs.length + 1}方`, kind: 'person' }])
  const removeRole = (roleId: string) => {
    setRoles((rs) => rs.filter((r) => r.roleId !== roleId))
    setFields((fs) => fs.filter((f) => f.roleId !== roleId))
  }
  const addField = (roleId: string, kind: 'signature' | 'seal' | 'date') => {
    const fieldId = nextId('f', fields.map((f) => f.fieldId))
    setFields((fs) => [...fs, { fieldId, roleId, kind, ...newRect(SIZES[kind]) }])
    setSelected(fieldId)
  }
  const addPlaceholder = () => {
    setPlaceholders((ps) => [...ps, { key: '', ...newRect(SIZES.placeholder) }])
    setSelected(placeholderId(placeholders.length))
  }
  const removePlaceholder = (i: number) => {
    setPlaceholders((ps) => ps.filter((_, j) => j !== i))
    setSelected(undefined)
  }
  const removeField = (fieldId: string) => {
    setFields((fs) => fs.filter((x) => x.fieldId !== fieldId))
    setSelected(undefined)
  }
  /** Moves box `id` (a field's id, or `ph-<i>` for a placeholder) to `rect` on `page`. */
  const place = (id: string, page: number, rect: Rect) => {
    const ph = /^ph-(\d+)$/.exec(id)
    if (ph) setPlaceholders((ps) => ps.map((x, j) => (j === Number(ph[1]) ? { ...x, page, rect } : x)))
    else setFields((fs) => fs.map((x) => (x.fieldId === id && 'rect' in x ? ({ ...x, page, rect } as TemplateFieldInput) : x)))
  }
  const roleIndex = (roleId: string) => roles.findIndex((r) => r.roleId === roleId)
  const boxes: PlacedBox[] = [
    ...fields.flatMap((f) => {
      if (!('rect' in f)) return []
      const role = roles[roleIndex(f.roleId)]
      return [{ id: f.fieldId, page: f.page, rect: f.rect, colour: colourAt(roleIndex(f.roleId)), label: `${role?.label ?? ''}${KIND_LABELS[f.kind] ?? ''}` }]
    }),
    ...placeholders.map((p, i) => ({ id: placeholderId(i), page: p.page, rect: p.rect, colour: PLACEHOLDER_COLOUR, label: `{{${p.key.trim().replace(/^\{\{|\}\}$/g, '') || '填写项'}}}`, variant: 'placeholder' as const })),
  ]
  const selectedBox = boxes.find((b) => b.id === selected)
  const select = (id: string) => {
    const b = boxes.find((x) => x.id === id)
    if (b && b.page < pages.length) setPageNo(b.page)
    setSelected(id)
  }

  const save = () =>
    run(async () => {
      const body = { name: name.trim(), documentId, roles, fields, placeholders: placeholders.map((p) => ({ ...p, key: p.key.trim().replace(/^\{\{|\}\}$/g, '') })) }
      if (templateId) await templatesApi.update(templateId, body)
      else await templatesApi.create({ companyId, ...body })
      action.setNotice(templateId ? '已保存为新版本' : '模板已创建')
      void Taro.navigateBack()
    })

  const ready = !!name.trim() && !!documentId && roles.length > 0 && roles.every((r) => r.label.trim()) && placeholders.every((p) => p.key.trim())

  return (
    <View className='page templates'>
      <Text className='page__title'>{templateId ? '编辑模板' : '新建模板'}</Text>
      {loaded && (
        <Text className='page__desc' id='editor-version'>
          当前第 {loaded.latestVersion} 版；保存后生成第 {loaded.latestVersion + 1} 版，已发起的合同不受影响。
        </Text>
      )}

      <View className='card' id='editor-file'>
        <Text className='card__title'>模板文件</Text>
        <Field id='editor-name' label='模板名称' placeholder='如：劳动合同' maxLength={100} value={name} onChange={setName} />
        <Text className='card__line'>{fileName || '尚未选择文件'}</Text>
        <Text className='card__line muted'>{pickPdfHint}</Text>
        <Button id='editor-pick' type='primary' fill='outline' loading={busy} onClick={() => void chooseFile()}>
          {documentId ? '更换文件' : '选择 PDF 文件'}
        </Button>
      </View>

      <View className='card' id='editor-roles'>
        <Text className='card__title'>角色</Text>
        {roles.map((r, ri) => (
          <View key={r.roleId} className='templates__role' id={`editor-role-${r.roleId}`}>
            <View className='templates__row'>
              <Text className='templates__dot' style={{ background: colourAt(ri) }} />
              <Field id={`editor-role-label-${r.roleId}`} label='角色名称' placeholder='甲方' maxLength={20} value={r.label} onChange={(v) => setRole(r.roleId, { label: v })} />
            </View>
            <View className='templates__row'>
              <Button size='small' type='primary' fill={r.kind === 'person' ? 'solid' : 'outline'} onClick={() => setRole(r.roleId, { kind: 'person' })}>
                个人
              </Button>
              <Button size='small' type='primary' fill={r.kind === 'company' ? 'solid' : 'outline'} onClick={() => setRole(r.roleId, { kind: 'company' })}>
                企业
              </Button>
              <Button size='small' type='default' fill={r.sender ? 'solid' : 'outline'} onClick={() => makeSender(r.roleId)}>
                {r.sender ? '✓ 发起方' : '设为发起方'}
              </Button>
              {roles.length > 1 && (
                <Button size='small' type='danger' fill='outline' onClick={() => removeRole(r.roleId)}>
                  删除角色
                </Button>
              )}
            </View>
          </View>
        ))}
        <Button id='editor-add-role' type='default' fill='outline' onClick={addRole}>
          + 添加角色
        </Button>
      </View>

      <View className='card' id='editor-placeholders'>
        <Text className='card__title'>填写项</Text>
        <Text className='card__line muted'>发起合同时填写的内容（如 乙方姓名、月薪、入职日期），按位置写入 PDF，超出方框会提示。</Text>
        {placeholders.map((p, i) => (
          <View key={i} className='templates__row' id={`editor-placeholder-${i}`}>
            <Field id={`editor-placeholder-key-${i}`} label='填写项名称' placeholder='如：月薪' maxLength={20} value={p.key} onChange={(v) => setPlaceholders((ps) => ps.map((x, j) => (j === i ? { ...x, key: v } : x)))} />
            <Text className='link' id={`editor-placeholder-remove-${i}`} onClick={() => removePlaceholder(i)}>
              删除
            </Text>
          </View>
        ))}
      </View>

      <View className='card' id='editor-place'>
        <Text className='card__title'>放置签署位置和填写项</Text>
        {documentId ? (
          <>
            <View className='templates__row'>
              {roles.map((r) => (
                <Button key={r.roleId} size='small' type='primary' fill='outline' id={`editor-add-${r.kind === 'company' ? 'seal' : 'signature'}-${r.roleId}`} onClick={() => addField(r.roleId, r.kind === 'company' ? 'seal' : 'signature')}>
                  + {r.label || '角色'}{r.kind === 'company' ? '盖章' : '签名'}
                </Button>
              ))}
              {roles.map((r) => (
                <Button key={r.roleId} size='small' type='primary' fill='outline' id={`editor-add-date-${r.roleId}`} onClick={() => addField(r.roleId, 'date')}>
                  + {r.label || '角色'}日期
                </Button>
              ))}
              <Button id='editor-add-placeholder' size='small' type='default' fill='outline' onClick={addPlaceholder}>
                + 填写项
              </Button>
            </View>
            <Text className='card__line muted'>点击上方按钮添加到当前页，再用手指或鼠标拖动到合适位置；虚线框是填写项。</Text>
          </>
        ) : (
          <Text className='card__line muted'>请先选择模板文件。</Text>
        )}
      </View>

      {documentId && pages.length > 0 && (
        <FieldPlacer
          idPrefix='editor'
          pages={pages}
          pageNo={Math.min(pageNo, pages.length - 1)}
          onPage={setPageNo}
          imagePath={(page, w) => (savedDocument && templateId ? templatesApi.pagePath(templateId, page, w, loaded.version) : templatesApi.documentPagePath(documentId, page, w))}
          imageVersion={documentId}
          width={width}
          boxes={boxes}
          selected={selected}
          onSelect={select}
          onMove={(id, rect) => place(id, boxes.find((b) => b.id === id)?.page ?? 0, rect)}
        />
      )}
      {documentId && pages.length === 0 && <Text className='card__line muted'>页面加载中…</Text>}

      {selectedBox && (
        <View className='card' id='editor-selected'>
          <Text className='card__title'>微调：{selectedBox.label}</Text>
          <Text className='card__line muted'>以页面左下角为原点，单位为点。</Text>
          <BoxInputs
            id='editor-selected'
            page={selectedBox.page}
            rect={selectedBox.rect}
            onChange={(page, rect) => {
              // Typed values stay on an existing page and inside it, as a dragged box does.
              const p = pages.length ? Math.min(page, pages.length - 1) : page
              place(selectedBox.id, p, pages[p] ? clampToPage(rect, pages[p]!) : rect)
              if (p !== pageNo && p < pages.length) setPageNo(p)
            }}
          />
        </View>
      )}

      <View className='card' id='editor-boxes'>
        <Text className='card__title'>已放置 {boxes.length} 个</Text>
        {boxes.map((b) => (
          <View key={b.id} className={`templates__box ${selected === b.id ? 'templates__box--on' : ''}`} onClick={() => select(b.id)}>
            <Text className='templates__dot' style={{ background: b.colour }} />
            <Text className='templates__box-text'>
              {b.label} · 第 {b.page + 1} 页
            </Text>
            <Text
              className='link'
              id={`editor-remove-${b.id}`}
              onClick={(e) => {
                e.stopPropagation?.()
                const ph = /^ph-(\d+)$/.exec(b.id)
                if (ph) removePlaceholder(Number(ph[1]))
                else removeField(b.id)
              }}
            >
              删除
            </Text>
          </View>
        ))}
      </View>

      <Button id='editor-save' className='btn-block' type='primary' loading={busy} disabled={!ready} onClick={() => void save()}>
        {templateId ? '保存为新版本' : '创建模板'}
      </Button>
      <ErrorText error={action.error} id='editor-error' />
    </View>
  )
}
