import { ApiProblem } from '../problem.ts';

// Stable codes of the sign-in routes (the web maps them to screens; never rename one).

/** Unknown e-mail, wrong password, inactive person or SSO-only account: one answer, so none is revealed. */
export const invalidCredentials = () =>
  new ApiProblem({
    status: 401,
    code: 'INVALID_CREDENTIALS',
    vi: 'Thư điện tử hoặc mật khẩu không đúng.',
    en: 'E-mail or password is incorrect.',
  });

export const accountLocked = (retryAfterSeconds: number) =>
  new ApiProblem({
    status: 423,
    code: 'ACCOUNT_LOCKED',
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau hoặc liên hệ quản trị.',
    en: 'The account is temporarily locked after repeated failed sign-ins. Try again later or contact an administrator.',
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new ApiProblem({
    status: 429,
    code: 'TOO_MANY_ATTEMPTS',
    vi: 'Quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau.',
    en: 'Too many failed sign-ins from this address. Please try again later.',
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });

export const unauthenticated = () =>
  new ApiProblem({
    status: 401,
    code: 'UNAUTHENTICATED',
    vi: 'Vui lòng đăng nhập.',
    en: 'Please sign in.',
  });

export const csrfRejected = () =>
  new ApiProblem({
    status: 403,
    code: 'CSRF_REJECTED',
    vi: 'Yêu cầu bị từ chối (thiếu hoặc sai mã chống giả mạo). Vui lòng tải lại trang.',
    en: 'Request rejected (missing or wrong anti-forgery token). Please reload the page.',
  });

export const secondFactorRequired = () =>
  new ApiProblem({
    status: 403,
    code: 'SECOND_FACTOR_REQUIRED',
    vi: 'Cần xác thực bước hai (mã TOTP hoặc mã khôi phục).',
    en: 'A second factor (TOTP or recovery code) is required.',
  });

export const passwordChangeRequired = () =>
  new ApiProblem({
    status: 403,
    code: 'PASSWORD_CHANGE_REQUIRED',
    vi: 'Vui lòng đổi mật khẩu trước khi tiếp tục.',
    en: 'Please change your password before continuing.',
  });

export const secondFactorInvalid = () =>
  new ApiProblem({
    status: 401,
    code: 'SECOND_FACTOR_INVALID',
    vi: 'Mã xác thực không đúng hoặc đã được dùng.',
    en: 'The code is wrong or was already used.',
  });

export const secondFactorNotPending = () =>
  new ApiProblem({
    status: 409,
    code: 'SECOND_FACTOR_NOT_PENDING',
    vi: 'Phiên này không chờ xác thực bước hai.',
    en: 'This session is not waiting for a second factor.',
  });

export const totpNotEnrolled = () =>
  new ApiProblem({
    status: 409,
    code: 'TOTP_NOT_ENROLLED',
    vi: 'Chưa đăng ký ứng dụng xác thực. Hãy đăng ký trước.',
    en: 'No authenticator app is enrolled yet. Enrol one first.',
  });

export const totpAlreadyEnrolled = () =>
  new ApiProblem({
    status: 409,
    code: 'TOTP_ALREADY_ENROLLED',
    vi: 'Đã đăng ký ứng dụng xác thực; hãy xác thực bước hai trước khi đăng ký lại.',
    en: 'An authenticator app is already enrolled; pass the second factor before enrolling again.',
  });

export const currentPasswordWrong = () =>
  new ApiProblem({
    status: 400,
    code: 'CURRENT_PASSWORD_WRONG',
    vi: 'Mật khẩu hiện tại không đúng.',
    en: 'The current password is wrong.',
  });

export const passwordPolicy = (code: string, vi: string, en: string) =>
  new ApiProblem({ status: 400, code, vi, en });

export const forbidden = () =>
  new ApiProblem({
    status: 403,
    code: 'FORBIDDEN',
    vi: 'Bạn không có quyền thực hiện thao tác này.',
    en: 'You are not allowed to do this.',
  });

export const personNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'PERSON_NOT_FOUND',
    vi: 'Không tìm thấy người dùng.',
    en: 'Person not found.',
  });

export const oidcNotConfigured = () =>
  new ApiProblem({
    status: 404,
    code: 'OIDC_NOT_CONFIGURED',
    vi: 'Đăng nhập một lần (SSO) chưa được cấu hình.',
    en: 'Single sign-on is not configured.',
  });

export const oidcFailed = (detail: string) =>
  new ApiProblem({
    status: 400,
    code: 'OIDC_FAILED',
    vi: 'Đăng nhập một lần (SSO) không thành công. Vui lòng thử lại.',
    en: 'Single sign-on failed. Please try again.',
    details: { reason: detail },
  });

export const oidcNoPerson = () =>
  new ApiProblem({
    status: 403,
    code: 'OIDC_NO_PERSON',
    vi: 'Danh tính đăng nhập một lần không gắn với người dùng nào trong hệ thống. Liên hệ quản trị.',
    en: 'The single sign-on identity is not linked to any person in WOMS. Contact an administrator.',
  });

export const malformedJson = () =>
  new ApiProblem({
    status: 400,
    code: 'MALFORMED_JSON',
    vi: 'Nội dung yêu cầu không phải JSON hợp lệ.',
    en: 'The request body is not valid JSON.',
  });

export const unsupportedMediaType = () =>
  new ApiProblem({
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    vi: 'Nội dung yêu cầu phải là application/json.',
    en: 'The request body must be application/json.',
  });

export const payloadTooLarge = (limitBytes: number) =>
  new ApiProblem({
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    vi: `Nội dung yêu cầu quá lớn (tối đa ${limitBytes} byte).`,
    en: `The request body is too large (at most ${limitBytes} bytes).`,
  });

export const validationFailed = (issues: { path: string; message: string }[]) =>
  new ApiProblem({
    status: 400,
    code: 'VALIDATION_FAILED',
    vi: 'Dữ liệu gửi lên không hợp lệ.',
    en: 'The request data is invalid.',
    details: { issues },
  });
