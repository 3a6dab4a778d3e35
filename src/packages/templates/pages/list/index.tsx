import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { TemplateList, TemplateSummary } from '@api/templates.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { getActingContext, requireLogin } from '@/services/session'
import { templatesApi } from '@/services/templates-api'
import '../../templates.css'

const go = (url: string) => void Taro.navigateTo({ url })

/** `2026-12-04T08:00:00.000Z` → `2026-12-04` (Beijing). */
const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)

/**
 * 合同模板 of the acting company (or `?companyId=`): every member uses a template to start a
 * contract; admins also create, edit (each edit is a new version) and disable them.
 */
export default function TemplateListPage() {
  const { params } = useRouter()
  const context = getActingContext()
  const companyId = params.companyId || (context.kind === 'company' ? context.companyId : '')
  const [list, setList] = useState<TemplateList>()
  const action = useAction()
  const { busy, run } = action

  const load = async () => setList(await templatesApi.list(companyId, true))

  useDidShow(() => {
    if (!requireLogin(`/packages/templates/pages/list/index?companyId=${companyId}`)) return
    if (!companyId) return
    void run(load)
  })

  const toggle = (t: TemplateSummary) =>
    run(async () => {
      await templatesApi.setEnabled(t.templateId, !t.enabled)
      action.setNotice(t.enabled ? '已停用' : '已启用')
      await load()
    })

  return (
    <View className='page templates'>
      <Text className='page__title'>合同模板</Text>
      <Text className='page__desc'>用模板发起合同：填写空白项和签署人，自动生成合同并按模板放好签署位置。</Text>

      {!companyId && (
        <Text className='card card__line muted' id='templates-no-company'>
          合同模板属于企业。请先在首页切换为企业身份。
        </Text>
      )}

      {list?.canManage && (
        <Button id='templates-new' className='btn-block' type='primary' onClick={() => go(`/packages/templates/pages/editor/index?companyId=${companyId}`)}>
          新建模板
        </Button>
      )}

      <View className='card' id='templates-list'>
        {companyId && list === undefined && <Text className='card__line muted'>加载中…</Text>}
        {list?.items.length === 0 && (
          <Text className='card__line muted' id='templates-empty'>
            {list.canManage ? '还没有模板，点击“新建模板”上传合同文件制作模板。' : '企业还没有可用的模板，请联系企业管理员。'}
          </Text>
        )}
        {list?.items.map((t) => (
          <View key={t.templateId} className='templates__item' id={`template-${t.templateId}`}>
            <View className='templates__head'>
              <Text className='templates__name'>{t.name}</Text>
              <Text className={`badge ${t.enabled ? 'badge--ok' : 'badge--off'}`}>{t.enabled ? `第 ${t.latestVersion} 版` : '已停用'}</Text>
            </View>
            <Text className='templates__meta'>
              {t.roleLabels.join('、')} · {t.placeholderCount} 个填写项 · 更新于 {day(t.updatedAt)}
            </Text>
            <View className='actions'>
              {t.enabled && (
                <Button className='template-use' type='primary' size='small' onClick={() => go(`/packages/templates/pages/use/index?templateId=${t.templateId}`)}>
                  使用
                </Button>
              )}
              {t.canManage && (
                <Button className='template-edit' type='primary' fill='outline' size='small' onClick={() => go(`/packages/templates/pages/editor/index?companyId=${companyId}&templateId=${t.templateId}`)}>
                  编辑
                </Button>
              )}
              {t.canManage && (
                <Button className='template-toggle' type={t.enabled ? 'danger' : 'default'} fill='outline' size='small' disabled={busy} onClick={() => void toggle(t)}>
                  {t.enabled ? '停用' : '启用'}
                </Button>
              )}
            </View>
          </View>
        ))}
      </View>

      <Notice text={action.notice} id='templates-notice' />
      <ErrorText error={action.error} id='templates-error' />
    </View>
  )
}
