/**
 * The choice of the event loop's CPU (runtime/pin-event-loop.ts) and the CPU lists it reads.
 * Pinning a real server is tested in test/integration/event-loop-cpu.test.ts.
 */
import { parseCpuList } from '../../../cloud-functions/adapters/cpu/thread-affinity'
import { leastInterruptedCpu, pinEventLoop } from '../../../cloud-functions/runtime/pin-event-loop'

/** This project's machine kind (a Firecracker VM, 2 vCPUs): the disk's requests (virtio1-req.0) all land on CPU1. */
const TWO_VCPUS = `           CPU0       CPU1
 24:          1          0  IO-APIC   5-edge      ACPI:Ged
 32:       1343          0 PCI-MSIX-0000:00:01.0   4-edge      virtio0-reporting_vq
 36:          0   26338035 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0
 38:          0     253233 PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0
 39:     210407          0 PCI-MSIX-0000:00:03.0   2-edge      virtio2-output.0
NMI:          0          0   Non-maskable interrupts
LOC:    9166269    8842011   Local timer interrupts
RES:   16277002    7857300   Rescheduling interrupts
CAL:   13861803    8011442   Function call interrupts
`

describe('leastInterruptedCpu', () => {
  it('picks the CPU with the fewest device interrupts, not counting timers and IPIs', () => {
    expect(leastInterruptedCpu(TWO_VCPUS, [0, 1])).toBe(0)
  })

  it('only among the allowed CPUs', () => {
    expect(leastInterruptedCpu(TWO_VCPUS, [1])).toBe(1)
    expect(leastInterruptedCpu(TWO_VCPUS, [2, 3])).toBeUndefined()
  })

  it('ties go to the lowest number; a row with fewer columns counts what it has', () => {
    const text = `       CPU0 CPU1 CPU2 CPU3\n  1:  5 5 0 0 IO-APIC x\n  2:  0 0 0\n`
    expect(leastInterruptedCpu(text, [0, 1, 2, 3])).toBe(2)
    expect(leastInterruptedCpu(text, [1, 3])).toBe(3)
    expect(leastInterruptedCpu(text, [0, 1])).toBe(0)
  })

  it('undefined for text that is not /proc/interrupts', () => {
    expect(leastInterruptedCpu('', [0, 1])).toBeUndefined()
    expect(leastInterruptedCpu('hello world\n 1: 2 3', [0, 1])).toBeUndefined()
  })
})

describe('parseCpuList', () => {
  it('reads ranges and single CPUs, sorted and without repeats', () => {
    expect(parseCpuList('0-3,6')).toEqual([0, 1, 2, 3, 6])
    expect(parseCpuList('1')).toEqual([1])
    expect(parseCpuList('2,0-1,1\n')).toEqual([0, 1, 2])
  })

  it('refuses anything else', () => {
    for (const bad of ['', '3-1', 'a', '0,,1', '0-', '-1']) expect(parseCpuList(bad)).toBeUndefined()
  })
})

describe('pinEventLoop', () => {
  it('does nothing with off', () => {
    expect(pinEventLoop('off')).toEqual({ pinned: undefined, reason: 'ESIGN_EVENT_LOOP_CPU=off' })
  })

  it('refuses a CPU the process may not use, without changing anything', () => {
    expect(pinEventLoop(4095)).toEqual({ pinned: undefined, reason: expect.stringContaining('CPU 4095 is not one of') })
  })

  it('auto without a readable /proc/interrupts leaves the event loop where it is', () => {
    const result = pinEventLoop('auto', () => {
      throw new Error('EACCES')
    })
    expect(result.pinned).toBeUndefined()
  })
})
