import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { TemplateFieldInput, TemplatePlaceholderInput, TemplateRoleInput, TemplateView } from '@api/templates.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
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
/** Where a new box goes: stacked down the first page from the top left (points, origin bottom-left). */
const spot = (i: number, h: number): Rect => [72, Math.max(20, 760 - i * (h + 12)), 200, h]

/** Four number inputs for a box: page (1-based on screen), x, y, width, height in points. */
function BoxInputs({ id, page, rect, onChange }: { id: string; page: number; rect: Rect; onChange: (page: number, rect: Rect) => void }) {
  const [x, y, w, h] = rect
  return (
    <View className='templates__row'>
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
  const action = useAction()
  const { busy, run } = action

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
      if (!name) setName(picked.name.replace(/\.pdf$/i, '').slice(0, 100))
    })

  const setRole = (roleId: string, patch: Partial<TemplateRoleInput>) => setRoles((rs) => rs.map((r) => (r.roleId === roleId ? { ...r, ...patch } : r)))
  const makeSender = (roleId: string) => setRoles((rs) => rs.map(({ sender: _s, ...r }) => (r.roleId === roleId ? { ...r, sender: true as const } : r)))
  const addRole = () => setRoles((rs) => [...rs, { roleId: nextId('r', rs.map((r) => r.roleId)), label: `第${rs.length + 1}方`, kind: 'person' }])
  const removeRole = (roleId: string) => {
    setRoles((rs) => rs.filter((r) => r.roleId !== roleId))
    setFields((fs) => fs.filter((f) => f.roleId !== roleId))
  }
  const addField = (roleId: string, kind: 'signature' | 'seal' | 'date') =>
    setFields((fs) => {
      const fieldId = nextId('f', fs.map((f) => f.fieldId))
      const rect = kind === 'date' ? spot(fs.length, 24) : spot(fs.length, 60)
      return [...fs, { fieldId, roleId, kind, page: 0, rect: [rect[0], Math.max(20, 300 - fs.length * 70), kind === 'date' ? 120 : 150, rect[3]] }]
    })
  const addPlaceholder = () => setPlaceholders((ps) => [...ps, { key: '', page: 0, rect: spot(ps.length, 20) }])

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
        <Text className='card__title'>角色与签署位置</Text>
        <Text className='card__line muted'>位置以页面左下角为原点，单位为点（A4 页面宽 595、高 842）。</Text>
        {roles.map((r) => (
          <View key={r.roleId} className='templates__role' id={`editor-role-${r.roleId}`}>
            <Field id={`editor-role-label-${r.roleId}`} label='角色名称' placeholder='甲方' maxLength={20} value={r.label} onChange={(v) => setRole(r.roleId, { label: v })} />
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
            {fields
              .filter((f) => f.roleId === r.roleId && 'rect' in f)
              .map((f) => (
                <View key={f.fieldId} className='templates__role'>
                  <Text className='card__line'>{f.kind === 'signature' ? '签名' : f.kind === 'seal' ? '盖章' : f.kind === 'date' ? '签署日期' : '填写'}</Text>
                  {'rect' in f && (
                    <BoxInputs id={`editor-field-${f.fieldId}`} page={f.page} rect={f.rect} onChange={(page, rect) => setFields((fs) => fs.map((x) => (x.fieldId === f.fieldId ? ({ ...x, page, rect } as TemplateFieldInput) : x)))} />
                  )}
                  <Text className='link' onClick={() => setFields((fs) => fs.filter((x) => x.fieldId !== f.fieldId))}>
                    删除此位置
                  </Text>
                </View>
              ))}
            <View className='templates__row'>
              <Button size='small' type='primary' fill='outline' onClick={() => addField(r.roleId, r.kind === 'company' ? 'seal' : 'signature')}>
                + {r.kind === 'company' ? '盖章位置' : '签名位置'}
              </Button>
              <Button size='small' type='primary' fill='outline' onClick={() => addField(r.roleId, 'date')}>
                + 日期
              </Button>
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
          <View key={i} className='templates__role' id={`editor-placeholder-${i}`}>
            <Field id={`editor-placeholder-key-${i}`} label='填写项名称' placeholder='如：月薪' maxLength={20} value={p.key} onChange={(v) => setPlaceholders((ps) => ps.map((x, j) => (j === i ? { ...x, key: v } : x)))} />
            <BoxInputs id={`editor-placeholder-${i}`} page={p.page} rect={p.rect} onChange={(page, rect) => setPlaceholders((ps) => ps.map((x, j) => (j === i ? { ...x, page, rect } : x)))} />
            <Text className='link' onClick={() => setPlaceholders((ps) => ps.filter((_, j) => j !== i))}>
              删除此填写项
            </Text>
          </View>
        ))}
        <Button id='editor-add-placeholder' type='default' fill='outline' onClick={addPlaceholder}>
          + 添加填写项
        </Button>
      </View>

      <Button id='editor-save' className='btn-block' type='primary' loading={busy} disabled={!ready} onClick={() => void save()}>
        {templateId ? '保存为新版本' : '创建模板'}
      </Button>
      <ErrorText error={action.error} id='editor-error' />
    </View>
  )
}
