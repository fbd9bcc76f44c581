import {
  bearer,
  createTestDatabase,
  freePort,
  KafkaTestBroker,
  ServiceProcess,
  serviceTestEnv,
  startServiceProcess,
  startTestBroker,
  testRedisUrl,
  waitFor,
} from '@scholarpay/testing';
import { once } from 'node:events';
import request from 'supertest';

/**
 * The service as `npm start` runs it (its own process, info-level JSON logs), driven through the
 * paths that handle phone numbers and national ids, including a race for the same national id
 * that ends on the database's unique constraint. Nothing sensitive may reach the log.
 */
describe('enrolment: logs carry no phone numbers, national ids or tokens', () => {
  let broker: KafkaTestBroker;
  let service: ServiceProcess;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('enrolment_logging');
    broker = await startTestBroker();
    const port = await freePort();
    service = await startServiceProcess(
      'enrolment',
      serviceTestEnv({
        databaseUrl,
        kafkaBrokers: broker.address,
        redisUrl: testRedisUrl(2),
        extra: { LOG_LEVEL: 'info', IMPORT_QUEUE_PREFIX: 'enrolment-logging-test' },
      }),
      port,
    );
  });

  afterAll(async () => {
    // Not service.stop(): its 10 s fallback timer is not cleared and would keep Jest waiting.
    if (service && service.child.exitCode === null) {
      const exited = once(service.child, 'exit');
      service.child.kill('SIGTERM');
      const fallback = setTimeout(() => service.child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(fallback);
    }
    await broker?.stop();
  });

  it('logs requests, conflicts and imports without the personal data in them', async () => {
    const admin = await bearer('programme-officer', ['programme_admin']);
    const api = () => request(service.url);
    await api()
      .post('/api/v1/schools')
      .set(admin)
      .send({ code: 'ESS-GAO', name: 'École de Santé de Gao', region: 'Gao', city: 'Gao' })
      .expect(201);
    const student = (phone: string, nationalId: string) => ({
      nationalId,
      firstName: 'Aïssata',
      lastName: "N'Diaye",
      sex: 'F',
      dateOfBirth: '1996-03-14',
      regionOfOrigin: 'Gao',
      schoolCode: 'ESS-GAO',
      programmeOfStudy: 'nursing',
      intakeYear: 2014,
      phone,
    });
    await api().post('/api/v1/students').set(admin).send(student('76 12 34 56', 'ML-SECRET-77')).expect(201);
    await api().post('/api/v1/students').set(admin).send(student('76 12 34 56', 'ML-OTHER-78')).expect(409);
    // Simultaneous registrations of one person: one wins, the others lose on the pre-check or on the constraint.
    const race = await Promise.all(
      Array.from({ length: 6 }, () =>
        api().post('/api/v1/students').set(admin).send(student('66 77 88 99', 'ML-RACE-01')),
      ),
    );
    expect(race.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    await api().get('/api/v1/students').query({ q: 'aissata' }).set(admin).expect(200);

    const csv = [
      'nina;prénom;nom;sexe;date_de_naissance;région;école;filière;promotion;téléphone',
      'ML-CSV-555;Sékou;Traoré;M;1995-01-02;Kidal;ESS-GAO;nursing;2014;65 43 21 09',
      'ML-CSV-556;Awa;Diallo;F;1995-01-02;Kidal;ESS-GAO;nursing;2014;76 12 34 56',
    ].join('\n');
    const accepted = await api()
      .post('/api/v1/student-imports')
      .set(admin)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(202);
    await waitFor(
      async () =>
        (await api().get(`/api/v1/student-imports/${accepted.body.importId}`).set(admin)).body.status ===
        'completed',
      { timeoutMs: 30000, description: 'the import to complete' },
    );

    const output = service.output();
    expect(output).toContain('"service":"enrolment"');
    expect(output).toContain('/api/v1/students');
    for (const secret of [
      '76123456',
      '76 12 34 56',
      '66778899',
      '65432109',
      'ML-SECRET-77',
      'ML-OTHER-78',
      'ML-RACE-01',
      'ML-CSV-555',
      'ML-CSV-556',
      'eyJ',
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
