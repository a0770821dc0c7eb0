export function square(value) {
  return value * value;
}
