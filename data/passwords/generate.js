#!/usr/bin/env node
/**
 * Writes common.txt, the list of common passwords refused when a password is set
 * (ASVS 4.0.3 V2.1.7). Run by hand when the list should change; the output is committed.
 *
 *   npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz
 *   node data/passwords/generate.js package/src/passwords.json > data/passwords/common.txt
 *
 * Sources: the zxcvbn common-password list (MIT, see README.md), entries of 10 characters or
 * more (shorter ones fail the length rule), and patterns seen in Chinese password leaks and in this system's own names: digit runs,
 * keyboard walks, pinyin with love numbers (520, 1314), surnames and common given names with
 * digits, common words with years and digit suffixes, and the demo password's pattern.
 */
const fs = require('fs');

const zxcvbn = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = new Set();
const add = (p) => {
  const v = p.toLowerCase();
  // shorter ones are refused by the length rule anyway
  if ([...v].length >= 10 && [...v].length <= 128) out.add(v);
};

for (const p of zxcvbn) if ([...p].length >= 10) add(p);

// digit runs and repetitions
const digits = '01234567890123456789';
for (let start = 0; start < 10; start++) for (let len = 8; len <= 16; len++) add(digits.slice(start, start + len));
const down = '98765432109876543210';
for (let start = 0; start < 10; start++) for (let len = 8; len <= 16; len++) add(down.slice(start, start + len));
for (let d = 0; d <= 9; d++) for (let len = 8; len <= 16; len++) add(String(d).repeat(len));
for (const unit of ['12', '123', '1234', '12345', '123456', '520', '1314', '5201314', '147258369', '159357', '0123', '1122', '112233', 'abc', 'abc123', 'qwe', 'asd', 'zxc', 'qaz', 'aa', 'ab', 'a1', '1a', 'ai', 'love']) {
  for (let n = 2; n <= 8; n++) add(unit.repeat(n));
}
for (const p of ['12345678901', '123456789012', '1234567890123', '12345678900', '1234567890qwerty', '01234567890', '00000000000', '11111111111', '88888888888', '66666666666', '13131313131', '12121212121', '11223344556677', '112233445566', '147258369147', '147258369258', '1472583690', '9876543210123', '123654789', '1236547890', '1597534862', '0987654321', '13579246810', '24681357911']) add(p);

// keyboard walks
const rows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
for (const r of rows) for (let len = 6; len <= r.length; len++) {
  add(r.slice(0, len));
  for (const s of ['1', '12', '123', '1234', '12345', '123456', '!', '!@#', '!@#$']) add(r.slice(0, len) + s);
  for (const s of ['123', '1234', '12345', '123456', 'abc']) add(s + r.slice(0, len));
}
for (const p of ['1q2w3e4r5t6y', '1q2w3e4r5t6y7u', '1q2w3e4r5t', '1q2w3e4r', 'q1w2e3r4t5y6', 'q1w2e3r4t5', '1qaz2wsx3edc', '1qaz2wsx3edc4rfv', '1qaz2wsx', '1qaz@wsx', '1qaz@wsx3edc', '1qazxsw2', '2wsx3edc', 'zaq12wsx', 'zaq1xsw2cde3', 'qazwsxedc', 'qazwsxedcrfv', 'qazwsxedc123', 'qweasdzxc', 'qweasdzxc123', '123qweasdzxc', 'qwerasdfzxcv', 'qwer1234', 'qwer1234qwer', 'qwer1234!@#$', 'asdf1234', 'asdf1234asdf', 'zxcv1234', 'zxcvbnm123456', '1qa2ws3ed', 'qwertyuiop12', 'qwertyuiop123', 'qwertyuiop1234', 'qwertyuiopasdfghjkl', 'asdfghjkl123', 'asdfghjkl;', 'zxcvbnm,./', '!qaz2wsx', '!qaz@wsx', 'p@ssw0rd', 'p@ssword', 'passw0rd']) {
  add(p);
  for (const s of ['', '1', '12', '123', '1234', '!', '!@#']) add(p + s);
}

// common words with years and digit suffixes
const SUFFIXES = ['1', '12', '123', '1234', '12345', '123456', '1234567', '12345678', '123456789', '1234567890', '!', '!@#', '@123', '#123', '520', '1314', '5201314', '666', '888', '6666', '8888', '000', '111', '007', '01', '001', '2008', '2010', '2012', '2015', '2018', '2020', '2021', '2022', '2023', '2024', '2025', '2026', '2027', '2028'];
const words = zxcvbn.slice(0, 400).filter((w) => /^[a-z]{5,}$/.test(w));
for (const w of ['password', 'passw0rd', 'p@ssw0rd', 'admin', 'administrator', 'root', 'user', 'test', 'guest', 'welcome', 'iloveyou', 'letmein', 'changeme', 'default', 'abc123', 'abcd', 'abcd1234', 'a1b2c3', 'aa', 'qq', 'wang', 'woaini', 'iloveu', 'love', 'china', 'zhongguo', 'beijing', 'shanghai', 'computer', 'internet', 'secret', 'super', 'master', 'monkey', 'dragon', 'qwerty', 'qwer', 'asdf', 'zxcv', 'hello', 'happy', 'sunshine', 'baby', 'system', 'server', 'office', 'windows', 'huawei', 'xiaomi', 'apple', 'wechat', 'weixin', 'taobao', 'baidu', 'tencent', 'alibaba']) {
  add(w);
  for (const s of SUFFIXES) add(w + s);
}
for (const w of words) for (const s of ['123', '1234', '12345', '123456', '12345678', '2025', '2026', '520', '1314', '888']) add(w + s);
for (const p of ['abc123456789', 'abc12345678', 'abcd12345678', 'abcde12345', 'a123456789', 'a1234567890', 'a12345678910', 'aa123456789', 'qq123456789', 'qq1234567890', 'q123456789', 'z123456789', 'abc123abc123', 'abc12345abc', 'password1234', 'password12345', 'password123456', 'password2026', 'passwordpassword', 'iloveyou1314', 'iloveyou520', 'iloveyou5201314', 'iloveyou123456']) add(p);

// pinyin: love numbers, surnames and common names with digits
for (const w of ['woaini', 'woaini1314', 'woaini520', 'woaiwojia', 'woaiwoma', 'woainima', 'woaiwolaopo', 'woaiwolaogong', 'woaibaobao', 'aini1314', 'aiwo1314', 'yisheng', 'yishengyishi', 'yiqian', 'wanwan', 'dongdong', 'beibei', 'xiaoxiao', 'lele', 'baobei', 'laopo', 'laogong', 'nihao', 'zhongguo', 'xiaobao', 'xiaoming', 'xiaohong', 'xiaomei', 'xiaolong', 'xiaoyu', 'tiantian', 'mingming', 'qiqi', 'yangyang', 'haohao']) {
  add(w);
  for (const s of ['1314', '520', '5201314', '1314520', '521', '1314521', '123', '123456', '12345678', '888', '888888', '666666', '2026']) add(w + s);
  add('5201314' + w);
  add('1314520' + w);
}
for (const p of ['woaini1314520', 'woaini5201314', '5201314woaini', '1314520woaini', 'woaini13145201314', '52013145201314', '5201314520', '13145201314520', 'yisheng1314', 'yishengyishi1314', 'aishangni1314']) add(p);
const SURNAMES = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'gao', 'lin', 'luo', 'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng'];
const GIVEN = ['wei', 'fang', 'min', 'jing', 'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao', 'xiuying', 'xia', 'ping', 'gang', 'hui', 'hua', 'na', 'hong', 'jian', 'bo', 'dan', 'ling', 'ying', 'lan'];
for (const s of SURNAMES) {
  for (const suf of ['123456', '12345678', '123456789', '888888', '666666', '520520', '1314520', '5201314', '19801980', '19901990']) add(s + suf);
  for (const g of GIVEN) for (const suf of ['1234', '123456', '888888', '1314', '5201314']) add(s + g + suf);
}
for (let y = 1950; y <= 2026; y++) {
  add(`${y}0101${y}`);
  for (const s of ['1234', '123456', 'abcd', 'qwer']) add(`${y}${s}`);
}

// this system and the demo county
for (const w of ['duban', 'jiuzhu', 'jiuzhuduban', 'minzheng', 'minzhengju', 'shehuijiuzhu', 'rexian', 'rexian12349', 'qingyuan', 'qingyuanxian', 'demo', 'demo1234', 'operator', 'supervisor', 'township', 'liaison', 'admin', 'dibao', 'tekun', 'linshijiuzhu', 'mzj']) {
  add(w);
  for (const s of SUFFIXES) add(w + s);
  add(w + w);
}
for (const p of ['demo1234demo', 'demo1234demo1234', 'demo12341234', 'demo123456789', 'demo12345678', 'demodemo1234', 'demo1234!', 'demo1234abcd', '12349rexian', '1234912349', '123491234912349', '救助督办123456', '救助督办12345678', '民政局123456789', '民政局12345678', '社会救助123456', '社会救助12345678', '我爱你一生一世一辈子', '我爱你一生一世12', '一二三四五六七八九十', '一二三四五六七八九十一二', '我爱你我爱你我爱你我爱你', '一生一世1314520']) add(p);

process.stdout.write(
  '# Common passwords refused when a password is set (ASVS 4.0.3 V2.1.7); generated by\n' +
    '# data/passwords/generate.js, see README.md for the sources. One a line, lower case.\n' +
    [...out].sort().join('\n') +
    '\n',
);
