/**
 * The sandbox's documented test identities (docs/IDENTITY.md lists them). Every ID number and
 * credit code here is synthetic with a valid check character (GB 11643 / GB 32100); none belongs
 * to a real person or company as far as we know. Behaviour is deterministic:
 *
 * - a listed identity behaves as its `behaviour` says; its name must be the listed name and (for
 *   the carrier check) its phone the listed phone, otherwise the check answers "mismatch";
 * - any other well-formed identity passes every check (so a developer can try their own input);
 *   the face page lets the tester choose 通过 or 不通过.
 */
export type SandboxPerson = {
  name: string
  idNumber: string
  phone: string
  behaviour: 'pass' | 'id-mismatch' | 'phone-mismatch' | 'face-fails' | 'provider-timeout' | 'no-record'
}

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  { name: '张三', idNumber: '110101199003070011', phone: '13800000001', behaviour: 'pass' },
  { name: '李四', idNumber: '110101198506150027', phone: '13800000002', behaviour: 'id-mismatch' },
  { name: '王五', idNumber: '310104199202200030', phone: '13800000003', behaviour: 'phone-mismatch' },
  { name: '赵六', idNumber: '440305198808080047', phone: '13800000004', behaviour: 'face-fails' },
  { name: '钱七', idNumber: '330106199501010057', phone: '13800000005', behaviour: 'provider-timeout' },
  { name: '孙八', idNumber: '510107198005120068', phone: '13800000006', behaviour: 'no-record' },
  { name: '周九', idNumber: '110101199003070046', phone: '13800000007', behaviour: 'pass' },
]

export type SandboxCompany = {
  name: string
  creditCode: string
  legalRepName: string
  legalRepIdNumber: string
  behaviour: 'pass' | 'no-record' | 'mismatch'
}

export const SANDBOX_COMPANIES: readonly SandboxCompany[] = [
  { name: '沙箱测试科技有限公司', creditCode: '91350100M000100Y43', legalRepName: '张三', legalRepIdNumber: '110101199003070011', behaviour: 'pass' },
  { name: '沙箱无记录有限公司', creditCode: '91110108MA01A2B3CF', legalRepName: '张三', legalRepIdNumber: '110101199003070011', behaviour: 'no-record' },
  { name: '沙箱信息不符有限公司', creditCode: '91310115MA1K4X5Y6H', legalRepName: '王五', legalRepIdNumber: '310104199202200030', behaviour: 'mismatch' },
  { name: '沙箱周九贸易有限公司', creditCode: '91440300MA5F0Q1R2A', legalRepName: '周九', legalRepIdNumber: '110101199003070046', behaviour: 'pass' },
]
