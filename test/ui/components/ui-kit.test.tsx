import '@testing-library/jest-dom'
import { fireEvent, render, screen } from '@testing-library/react'
import { Button } from '@/components/ui'

describe('component library (NutUI React Taro)', () => {
  it('an enabled button is clickable and not marked disabled; a disabled one ignores taps', () => {
    const onClick = jest.fn()
    render(
      <div>
        <Button id='on' type='primary' onClick={onClick}>提交</Button>
        <Button id='off' type='primary' disabled onClick={onClick}>不可用</Button>
      </div>,
    )
    fireEvent.click(screen.getByText('提交'))
    fireEvent.click(screen.getByText('不可用'))
    expect(onClick).toHaveBeenCalledTimes(1)
  })
})
