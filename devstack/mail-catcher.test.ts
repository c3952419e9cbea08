import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startMailCatcher } from './mail-catcher.ts';

describe('mail catcher', () => {
  it('receives mail over real SMTP and shows it in its web view', async () => {
    const catcher = await startMailCatcher({ smtpPort: 0, webPort: 0 });
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: catcher.smtpPort,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: 'woms@demo.woms.vn',
        to: 'canbo@demo.woms.vn',
        subject: 'Nhắc việc: báo cáo tháng 11',
        text: 'Hạn nộp: 05/12/2026',
        messageId: '<reminder:test@woms.local>',
      });
      const mail = await catcher.waitFor((m) => m.subject.includes('tháng 11'));
      expect(mail.to).toEqual(['canbo@demo.woms.vn']);
      expect(mail.messageId).toBe('<reminder:test@woms.local>');
      const page = await (await fetch(catcher.webUrl!)).text();
      expect(page).toContain('Nhắc việc: báo cáo tháng 11');
      const json = await (await fetch(`${catcher.webUrl}/api/messages`)).json();
      expect(json).toHaveLength(1);
    } finally {
      await catcher.stop();
    }
  });
});
