# Le JSON API parle aux intégrateurs (portails, scripts) : en français et en anglais
# seulement ; les autres langues reçoivent l'anglais (docs/api.md).

## API JSON (problèmes RFC 9457 : titre, puis détail)

api-problem-bad-request = Requête illisible
api-problem-bad-request-detail = Le corps doit être un document JSON valide, encodé en UTF-8, avec les champs attendus.
api-problem-unsupported-media-type = Type de contenu refusé
api-problem-unsupported-media-type-detail = Envoyez le corps en application/json.
api-problem-too-large = Requête trop volumineuse
api-problem-too-large-detail = Le corps dépasse la taille acceptée.
api-problem-unauthorized = Jeton absent ou refusé
api-problem-unauthorized-detail = Présentez un jeton valide dans l’en-tête Authorization: Bearer.
api-problem-cookies-refused = Jeton requis
api-problem-cookies-refused-detail = L’API n’accepte pas les cookies : présentez un jeton dans l’en-tête Authorization: Bearer.
api-problem-forbidden = Action non autorisée
api-problem-forbidden-detail = Ce jeton ne permet pas cette action.
api-problem-rate-limited = Trop de requêtes
api-problem-rate-limited-detail = Ce client a dépassé son débit autorisé ; réessayez après le délai indiqué par Retry-After.
api-problem-not-found = Adresse inconnue
api-problem-not-found-detail = Aucune action de l’API à cette adresse.
api-problem-method-not-allowed = Méthode non acceptée
api-problem-method-not-allowed-detail = Cette adresse n’accepte pas cette méthode HTTP.
api-problem-action-disabled = Action désactivée
api-problem-action-disabled-detail = Le site a désactivé le parcours dont cette action fait partie.
api-problem-unknown-person = Personne inconnue
api-problem-unknown-person-detail = Cet identifiant ne désigne aucun compte.
api-problem-invalid-input = Champ manquant
api-problem-invalid-input-detail = Un champ obligatoire est vide.
api-problem-sign-in-refused = Identifiant ou mot de passe actuel refusé
api-problem-sign-in-refused-detail = L’identifiant ou le mot de passe actuel est incorrect, ou le compte ne peut pas utiliser ce service maintenant. Chaque échec est compté et peut verrouiller le compte.
api-problem-password-refused = Nouveau mot de passe refusé
api-problem-password-refused-detail = Le nouveau mot de passe ne respecte pas les règles ; voir « problems ». Rien n’a été modifié.
api-problem-locked = Compte verrouillé
api-problem-locked-detail = Trop d’essais infructueux : le libre-service est verrouillé pour ce compte jusqu’à l’heure indiquée.
api-problem-self-service-stopped = Libre-service indisponible pour ce compte
api-problem-self-service-stopped-detail = Ce compte ne peut pas utiliser le libre-service maintenant (verrouillé par le service informatique, gelé, ou fermé). Rien n’a été modifié.
api-problem-changed-meanwhile = Mot de passe modifié entre-temps
api-problem-changed-meanwhile-detail = Le mot de passe a été changé par une autre demande pendant celle-ci. Rien n’a été modifié.
api-problem-old-password-required = Modification impossible par ce service
api-problem-old-password-required-detail = L’annuaire exige une opération que la passerelle ne peut pas faire pour ce compte. Rien n’a été modifié ; contactez le support.
api-problem-temporary-expired = Mot de passe temporaire expiré
api-problem-temporary-expired-detail = Le mot de passe temporaire était juste mais a expiré : demandez-en un nouveau.
api-problem-unavailable = Service momentanément indisponible
api-problem-unavailable-detail = L’annuaire ne répond pas. Réessayez dans quelques minutes.
api-problem-internal = Erreur inattendue
api-problem-internal-detail = La demande n’a pas pu aboutir. Réessayez plus tard.
