import { useEffect, useRef, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { BulkJobDetail, BulkJobView, BulkPreview, BulkRowView } from '@api/bulk.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { bulkApi } from '@/services/bulk-api'
import { pickSheet, pickSheetHint, type PickedFile } from '@/services/platform/pick-sheet'
import { requireLogin } from '@/services/session'
import './index.css'

const DEADLINE_DAYS = [7, 14, 30] as const
const STATE_LABELS: Record<BulkRowView['state'], string> = { pending: '排队中', sending: '发送中', sent: '已发送', failed: '发送失败', invalid: '数据有误' }
const STATE_BADGE: Record<BulkRowView['state'], string> = { pending: 'badge--warn', sending: 'badge--warn', sent: 'badge--ok', failed: 'badge--off', invalid: 'badge--off' }
const POLL_MS = 1500

/**
 * 批量发起：选择模板对应的表格（CSV / XLSX）→ 预览前几行和每一行的问题（不发送）→ 确认发送 →
 * 进度条（轮询）和逐行结果。同一模板、同一文件再次上传不会重复发送，直接显示已有任务。
 */
export default function BulkSend() {
  const { params } = useRouter()
  const [templateId, setTemplateId] = useState(params.templateId ?? '')
  const [days, setDays] = useState<number>(14)
  const [file, setFile] = useState<PickedFile>()
  const [preview, setPreview] = useState<BulkPreview>()
  const [detail, setDetail] = useState<BulkJobDetail>()
  const [onlyProblems, setOnlyProblems] = useState(false)
  const [jobs, setJobs] = useState<BulkJobView[]>()
  const action = useAction()
  const { busy, run } = action
  const timer = useRef<ReturnType<typeof setTimeout>>()

  useDidShow(() => {
    if (!requireLogin(`/packages/bulk/pages/send/index${params.templateId ? `?templateId=${params.templateId}` : ''}`)) return
    void run(async () => setJobs((await bulkApi.list()).items))
  })
  useEffect(() => () => clearTimeout(timer.current), [])

  const follow = async (jobId: string, state?: BulkRowView['state']) => {
    clearTimeout(timer.current)
    const d = await bulkApi.get(jobId, state ? { state } : {})
    setDetail(d)
    if (d.job.status !== 'done') timer.current = setTimeout(() => void follow(jobId, state).catch(() => undefined), POLL_MS)
    else setJobs((await bulkApi.list()).items)
  }

  const choose = () =>
    run(async () => {
      if (!templateId.trim()) throw new Error('请先填写模板编号')
      const picked = await pickSheet()
      if (!picked) return
      setFile(picked)
      setDetail(undefined)
      setPreview(await bulkApi.preview({ filePath: picked.filePath, fileName: picked.name, templateId: templateId.trim() }))
    })

  const confirm = () =>
    run(async () => {
      if (!file || !preview) return
      const deadline = new Date(Date.now() + days * 86_400_000).toISOString()
      const job = await bulkApi.start({ filePath: file.filePath, fileName: file.name, templateId: preview.templateId, deadline })
      setPreview(undefined)
      await follow(job.jobId)
    })

  const showJob = (jobId: string) => run(() => follow(jobId))
  const toggleProblems = () =>
    run(async () => {
      if (!detail) return
      setOnlyProblems(!onlyProblems)
      await follow(detail.job.jobId, onlyProblems ? undefined : 'invalid')
    })
  const more = () =>
    run(async () => {
      if (!detail?.next) return
      const page = await bulkApi.get(detail.job.jobId, { cursor: detail.next, ...(onlyProblems ? { state: 'invalid' as const } : {}) })
      setDetail({ ...page, rows: [...detail.rows, ...page.rows] })
    })

  const job = detail?.job
  const done = job ? job.counts.sent + job.counts.failed + job.counts.invalid : 0
  const percent = job && job.counts.total > 0 ? Math.round((done / job.counts.total) * 100) : 0

  return (
    <View className='page bulk'>
      <Text className='page__title'>批量发起</Text>
      <Text className='page__desc'>用一个模板给多人发合同：每一行表格生成并发送一份合同。</Text>

      <View className='card'>
        <Text className='card__title'>表格怎么填</Text>
        <Text className='card__line'>第 1 行是列名，从第 2 行起每行一份合同。列名：</Text>
        <Text className='card__line'>· 模板的每个占位符一列，列名就是占位符（如「月薪」「入职日期」）；</Text>
        <Text className='card__line'>· 每个签署角色（发起方除外）两列：「角色名姓名」「角色名手机」，如「乙方姓名」「乙方手机」；企业角色再加「角色名企业名称」。</Text>
        <Text className='card__line muted'>CSV（UTF-8 或 GBK）或 Excel .xlsx，最大 5 MB、5,000 行；公式按表格里保存的计算结果读取。手机号须为 11 位中国大陆手机号。</Text>
      </View>

      <View className='card'>
        <Field id='bulk-template' label='模板编号' placeholder='从模板页进入时自动填写' value={templateId} onChange={setTemplateId} />
        <View className='field'>
          <Text className='field__label'>签署期限</Text>
          <View className='row'>
            {DEADLINE_DAYS.map((d) => (
              <View key={d} className={`choice${days === d ? ' choice--on' : ''}`} id={`bulk-days-${d}`} onClick={() => setDays(d)}>
                <Text>{d} 天</Text>
              </View>
            ))}
          </View>
        </View>
        <Text className='card__line muted'>{pickSheetHint}</Text>
        <View className='actions'>
          <Button id='bulk-choose' type='primary' loading={busy} onClick={() => void choose()}>
            {file ? '重新选择表格' : '选择表格'}
          </Button>
        </View>
      </View>

      <Notice text={action.notice} id='bulk-notice' />
      <ErrorText error={action.error} id='bulk-error' />

      {preview && (
        <View className='card' id='bulk-preview'>
          <Text className='card__title'>预览：{file?.name}</Text>
          <Text className='card__line'>
            共 {preview.totalRows} 行，可发送 <Text className='bulk__ok'>{preview.validRows}</Text> 行，有问题 <Text className='bulk__bad'>{preview.invalidRows}</Text> 行（不会发送）
          </Text>
          {preview.missingColumns.length > 0 && <Text className='card__line bulk__bad'>缺少列：{preview.missingColumns.join('、')}</Text>}
          <View className='bulk__table-wrap'>
            <View className='bulk__table'>
              <View className='bulk__tr bulk__th'>
                <Text className='bulk__td bulk__num'>行</Text>
                {preview.columns.map((c) => (
                  <Text key={c} className='bulk__td'>
                    {c}
                  </Text>
                ))}
              </View>
              {preview.firstRows.map((r) => (
                <View key={r.rowNumber} className='bulk__tr'>
                  <Text className='bulk__td bulk__num'>{r.rowNumber}</Text>
                  {preview.columns.map((c) => (
                    <Text key={c} className='bulk__td'>
                      {r.cells[c] ?? ''}
                    </Text>
                  ))}
                </View>
              ))}
            </View>
          </View>
          {preview.problems.length > 0 && (
            <View className='bulk__problems' id='bulk-problems'>
              <Text className='card__title'>有问题的行</Text>
              {preview.problems.map((p) => (
                <Text key={p.rowNumber} className='card__line'>
                  第 {p.rowNumber} 行：{p.problems.map((x) => x.message).join('；')}
                </Text>
              ))}
            </View>
          )}
          {preview.existingJobId ? (
            <View className='actions'>
              <Text className='card__line'>这个文件已经用该模板发送过，不会重复发送。</Text>
              <Button id='bulk-existing' type='primary' fill='outline' onClick={() => void showJob(preview.existingJobId!)}>
                查看已有任务
              </Button>
            </View>
          ) : (
            <View className='actions'>
              <Button id='bulk-confirm' type='primary' loading={busy} disabled={preview.validRows === 0} onClick={() => void confirm()}>
                确认发送 {preview.validRows} 份
              </Button>
            </View>
          )}
        </View>
      )}

      {detail && job && (
        <View className='card' id='bulk-job'>
          <Text className='card__title'>{job.status === 'done' ? '发送完成' : '正在发送…'}</Text>
          <View className='bulk__bar' id='bulk-progress'>
            <View className='bulk__bar-fill' style={{ width: `${percent}%` }} />
          </View>
          <Text className='card__line'>
            {percent}% · 已发送 {job.counts.sent} · 失败 {job.counts.failed} · 数据有误 {job.counts.invalid} · 共 {job.counts.total}
          </Text>
          <View className='actions'>
            <Button id='bulk-only-problems' type='default' fill='outline' onClick={() => void toggleProblems()}>
              {onlyProblems ? '显示全部行' : '只看数据有误的行'}
            </Button>
          </View>
          {detail.rows.map((r) => (
            <View key={r.rowNumber} className='bulk__row'>
              <View className='bulk__row-head'>
                <Text>第 {r.rowNumber} 行</Text>
                <Text className={`badge ${STATE_BADGE[r.state]}`}>{STATE_LABELS[r.state]}</Text>
              </View>
              <Text className='card__line muted'>{r.recipients.join('；')}</Text>
              {r.contractId && <Text className='card__line muted'>合同 {r.contractId}</Text>}
              {r.problems?.map((p, i) => (
                <Text key={i} className='card__line bulk__bad'>
                  {p.message}
                </Text>
              ))}
              {r.error && <Text className='card__line bulk__bad'>{r.error.message}</Text>}
            </View>
          ))}
          {detail.next && (
            <Button id='bulk-more' type='default' fill='outline' onClick={() => void more()}>
              加载更多
            </Button>
          )}
        </View>
      )}

      {jobs && jobs.length > 0 && (
        <View className='card'>
          <Text className='card__title'>我的批量发起</Text>
          {jobs.map((j) => (
            <View key={j.jobId} className='bulk__row' onClick={() => void showJob(j.jobId)}>
              <View className='bulk__row-head'>
                <Text>{j.fileName ?? j.jobId}</Text>
                <Text className={`badge ${j.status === 'done' ? 'badge--ok' : 'badge--warn'}`}>{j.status === 'done' ? '已完成' : '发送中'}</Text>
              </View>
              <Text className='card__line muted'>
                已发送 {j.counts.sent} / {j.counts.total}，失败 {j.counts.failed}，数据有误 {j.counts.invalid}
              </Text>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
