/** Italian working days (date-holidays + luxon, Europe/Rome) and deadline traffic lights. */
export * from './working-calendar';
export * from './traffic-light';
export { calendarForProvince, calendarSettings, type CalendarSettings } from './province-calendar';
